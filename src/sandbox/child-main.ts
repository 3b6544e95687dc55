/**
 * The sandboxed child's boot (its own program beside the bundle, build.ts): locks the process down,
 * reads framed requests from stdin, answers each in turn with the bundle's harness, writes framed
 * responses on fd 3. The bundle (harness, engine, the student's module) is imported on the first
 * request, which the grader sends once it is built: the process starts while esbuild still runs.
 * Nothing here is trusted by the grader: it checks every response again (validate.ts).
 */
import { writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { deserialize } from 'node:v8';
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from './framing.ts';
import { lockDown } from './lockdown.ts';
import type { Request, Response } from './protocol.ts';

/** Beside the harness's requests, the grader may ask the child to end cleanly. */
export type ChildRequest = Request | { id: number; kind: 'close' };

/**
 * Requests arrive on stdin; responses leave on this descriptor (the grader spawns the child with a
 * pipe as its fourth stdio entry), written in place. Not a net.Socket on fd 3: Node 25+ counts that
 * as network access, which its permission model refuses; stdin is exempt. And not fs reads of fd 3:
 * a read pending in libuv's thread pool holds process.exit back until it returns.
 */
export const CHANNEL_FD = 3;

export function serve(load: () => Promise<{ handle: (request: Request) => Promise<Response> }>): void {
  // Taken before the student's module loads (the harness loads it on the first request).
  const exit = process.exit.bind(process);
  const channel = process.stdin; // the grader's requests: taken before lockDown() hides stdin
  guardChannel();
  lockDown();
  // Blocking writes: a flood of output waits in the pipe (drained by the grader), not in this
  // process's memory, where it would end in an out-of-memory crash during some later call.
  for (const stream of [process.stdout, process.stderr]) (stream as { _handle?: { setBlocking?(on: boolean): void } })._handle?.setBlocking?.(true);
  const write = (frame: Buffer) => {
    for (let at = 0; at < frame.length; ) at += writeSync(CHANNEL_FD, frame, at);
  };
  const decoder = new FrameDecoder();
  let queue = Promise.resolve();
  let bundle: ReturnType<typeof load> | undefined;

  // A bundle that fails to load ends the process, as a program that fails to load does.
  const answer = async (request: ChildRequest) => {
    if (request.kind === 'close') exit(0);
    else write(frameOf(await (await (bundle ??= load())).handle(request)));
  };
  channel.on('data', (chunk) => {
    for (const payload of decoder.push(chunk as Buffer)) {
      const request = deserialize(payload) as ChildRequest;
      queue = queue.then(() => answer(request));
    }
  });
  channel.on('end', () => exit(0));
  channel.on('error', () => exit(1));
}

/**
 * Holds the response descriptor in this process's event loop, so that no second handle can be
 * opened on it (libuv refuses with EEXIST): student code cannot wrap it in a socket of its own and
 * write frames around the harness. Node 25+ refuses any socket on it under the permission model,
 * the student's as well as this one: there the guard is not needed and cannot be.
 */
function guardChannel(): void {
  let guard: Socket;
  try {
    guard = new Socket({ fd: CHANNEL_FD, readable: true, writable: false });
  } catch {
    return;
  }
  // Blocking, as writeSync expects (libuv made the descriptor non-blocking when it opened it).
  (guard as { _handle?: { setBlocking?(on: boolean): void } })._handle?.setBlocking?.(true);
  guard.on('error', () => {});
  guard.resume(); // reading is what registers the descriptor in the event loop
}

/** A response as a frame; one that cannot be serialized or is too big becomes a failure saying so. */
function frameOf(response: Response): Buffer {
  let reason: string;
  try {
    const frame = encodeFrame(response);
    if (frame.length <= DEFAULT_MAX_FRAME) return frame;
    reason = `the result is ${frame.length} bytes, over the ${DEFAULT_MAX_FRAME}-byte cap`;
  } catch (error) {
    reason = `the result cannot be sent back: ${error instanceof Error ? error.message : String(error)}`;
  }
  return encodeFrame({ id: response.id, ok: false, failure: { kind: 'bad-value', message: reason } } satisfies Response);
}
