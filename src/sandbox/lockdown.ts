/**
 * What Node offers student code in the sandboxed child, by name: the builtins on an allow-list, and
 * nothing else, enforced here at run time (the static rules are a first wall that an ambient
 * `declare const process: any` or a computed specifier gets past).
 *
 * Measured on Node 20.20 with the child's flags (permission model, frozen intrinsics, no code from
 * strings): `import('node:vm')`, `process.getBuiltinModule('v8')` and `createRequire(...)('vm')` all
 * worked, and so did `vm.runInThisContext('…')` and `v8.setFlagsFromString('--allow-natives-syntax')`,
 * which step around --disallow-code-generation-from-strings; so did `import('data:text/javascript,…')`.
 * `process.binding` (ERR_ACCESS_DENIED) and `process.dlopen` (ERR_DLOPEN_DISABLED) were refused.
 *
 * How: the child's bundle is built with import() lowered to a call of the global `require` (build.ts),
 * and that `require` is the gate below, as is process.getBuiltinModule; the other loaders refuse.
 * Loading every denied builtin to disarm its exports instead cost ~110 ms per process start.
 * A walk of everything reachable from globalThis (fixtures/hostile/hunt-builtins) found node:fs
 * under a symbol of process.stdin, and process._debugProcess (SIGUSR1 to any pid: another Node
 * process's inspector): both are closed here. What this does not stop: objects Node itself hands
 * out keep their classes (process.stdout is a net.Socket whose `connect` opens sockets): the
 * no-sockets layer (layers.ts) stops those at the system call, the permission model files,
 * workers and child processes.
 */
import { createRequire } from 'node:module';

/** Builtins that reach nothing outside the process; a lab imports only `propgrade/autograd` anyway. */
export const LAB_BUILTINS: ReadonlySet<string> = new Set(['assert', 'buffer', 'events', 'path', 'string_decoder', 'url', 'util']);

const nodeRequire = createRequire(import.meta.url);

/** The one loader left to student code: an allow-listed builtin, or an error that says why not. */
function builtin(id: unknown): unknown {
  const name = typeof id === 'string' ? id.replace(/^node:/, '') : undefined;
  if (name === undefined || !LAB_BUILTINS.has(name))
    throw new Error(`${typeof id === 'string' ? `'${id}'` : 'that module'} is not available in the grader's sandbox: a lab uses only propgrade/autograd`);
  return nodeRequire(`node:${name}`);
}

const refuse = (what: string) => () => {
  throw new Error(`${what} is not allowed in the grader's sandbox`);
};

/** Run once in the child, before the student's module loads. */
export function lockDown(): void {
  Object.defineProperty(globalThis, 'require', { value: builtin });
  Object.assign(process, {
    getBuiltinModule: builtin,
    binding: refuse('process.binding'),
    _linkedBinding: refuse('process._linkedBinding'),
    dlopen: refuse('process.dlopen'),
    // The permission model does not cover signals: without a pid namespace, process.kill could
    // reach the grader. Only this process may end itself (process.exit, a crash).
    kill: refuse('process.kill'),
    _kill: refuse('process.kill'),
    // Signals another process's inspector on (SIGUSR1), and closes this one's.
    _debugProcess: refuse('process._debugProcess'),
    _debugEnd: refuse('process._debugEnd'),
    openStdin: refuse('process.stdin'),
  });
  // stdin carries the grader's requests (serve() holds it): student code must neither read nor forge them.
  Object.defineProperty(process, 'stdin', { get: refuse('process.stdin') });
  // undici's globals (MessageEvent and CloseEvent are undici's on Node 22): network clients that need no module (without a network namespace or
  // no-sockets, fetch reaches loopback); and loading undici under the address-space limit starts a
  // WebAssembly instantiation that fails later and ends the process (measured: any of them).
  for (const name of ['fetch', 'FormData', 'Headers', 'Request', 'Response', 'WebSocket', 'EventSource', 'MessageEvent', 'CloseEvent']) delete (globalThis as Record<string, unknown>)[name];
}
