/** Small LabClients for runner tests: a student made of plain functions, no sandbox, no engine. */
import { StudentError, type LabClient, type Plain, type PlainTensor } from '../../src/sandbox/protocol.ts';

type Functions = Record<string, (...args: Plain[]) => Plain | Promise<Plain>>;

/** A lab whose exports are `functions`; `calls` counts every call by name. */
export function fakeLab(functions: Functions): LabClient & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const unsupported = async (): Promise<never> => {
    throw new Error('fakeLab: not used by these tests');
  };
  const call = async (name: string, ...args: Plain[]) => {
    calls[name] = (calls[name] ?? 0) + 1;
    const fn = functions[name];
    if (!fn) throw new StudentError('missing-export', `lab.ts does not export '${name}'`);
    return fn(...args);
  };
  return {
    calls,
    call,
    drive: unsupported,
    // No engine here: an empty computation, which the runner's oracle (faked in these tests) never reads.
    traced: async (name, args) => ({ value: await call(name, ...args), trace: { nodes: [], backwards: [], results: [] } }),
    graph: unsupported,
    exports: async () => Object.fromEntries(Object.keys(functions).map((name) => [name, 'function'])),
    close: async () => {},
  };
}

/** A lab whose every call fails with a StudentError of `kind`. */
export const failingLab = (name: string, kind: StudentError['kind'], message: string) =>
  fakeLab({
    [name]: () => {
      throw new StudentError(kind, message);
    },
  });

export const vectorOf = (values: number[]): PlainTensor => ({ shape: [values.length], data: Float64Array.from(values) });
