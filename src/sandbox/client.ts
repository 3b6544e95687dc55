/**
 * A LabClient over any transport that answers Requests with Responses: the in-process one
 * (trusted modules) and the sandboxed child process share this, so specs never see a difference.
 */
import { isPlainTensor, StudentError, type LabClient, type Plain, type Request, type Response } from './protocol.ts';

type Ask = { [K in Request['kind']]: Omit<Extract<Request, { kind: K }>, 'id'> }[Request['kind']];

/**
 * `frames` reads a thrown stack as the student's lab.ts frames (Bundle.frames), kept on the StudentError.
 * `send`'s `ahead` marks a request sent before anyone needs its answer (the client's `ahead` view).
 */
export function labClient(
  send: (request: Request, ahead: boolean) => Promise<Response>,
  close: () => Promise<void> = async () => {},
  frames: (stack: string) => string[] = () => [],
): LabClient {
  let nextId = 1;
  const view = (ahead: boolean): LabClient => {
    const exchange = async (request: Ask) => {
      const response = await send({ ...request, id: nextId++ } as Request, ahead);
      if (!response.ok) {
        const { kind, message, stack } = response.failure;
        const at = kind === 'threw' && stack !== undefined ? frames(stack) : [];
        throw new StudentError(kind, message, at);
      }
      return response;
    };
    const ask = async (request: Ask): Promise<Plain> => (await exchange(request)).value;
    return {
      call: (exportName, ...args) => ask({ kind: 'call', exportName, args }),
      drive: (driver, exportName, ...args) => ask({ kind: 'call', exportName, args, driver }),
      async traced(exportName, args, driver) {
        const response = await exchange({ kind: 'call', exportName, args, trace: true, ...(driver === undefined ? {} : { driver }) });
        if (response.trace === undefined) throw new StudentError('protocol', `'${exportName}': the traced call came back without its trace`);
        return { value: response.value, trace: response.trace };
      },
      async graph(exportName, args, argNames) {
        const dot = await ask({ kind: 'graph', exportName, args, argNames });
        if (typeof dot !== 'string') throw new StudentError('protocol', `'${exportName}': the graph request did not give DOT text`);
        return dot;
      },
      async exports() {
        const names = await ask({ kind: 'exports' });
        if (typeof names !== 'object' || names === null || Array.isArray(names) || isPlainTensor(names))
          throw new StudentError('protocol', 'the module did not list its exports');
        return Object.fromEntries(Object.entries(names).map(([k, v]) => [k, String(v)]));
      },
      close,
    };
  };
  const ahead = view(true);
  return { ...view(false), ahead: { ...ahead, ahead } };
}
