/**
 * The sandboxed child's entry (bundled beside the harness and the student's module): reads framed
 * requests from fd 3, answers each in turn with the harness, writes framed responses back on fd 3.
 * Nothing here is trusted by the grader: it checks every response again (validate.ts).
 */
import { Socket } from 'node:net';
import { deserialize } from 'node:v8';
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from './framing.ts';
import { lockDown } from './lockdown.ts';
import type { Request, Response } from './protocol.ts';

/** Beside the harness's requests, the grader may ask the child to end cleanly. */
export type ChildRequest = Request | { id: number; kind: 'close' };

/** The frames' pipe: the grader spawns the child with it as its fourth stdio entry. */
export const CHANNEL_FD = 3;

export function serve(handle: (request: Request) => Promise<Response>): void {
  // Taken before the student's module loads (the harness loads it on the first request).
  const exit = process.exit.bind(process);
  lockDown();
  // Blocking writes: a flood of output waits in the pipe (drained by the grader), not in this
  // process's memory, where it would end in an out-of-memory crash during some later call.
  for (const stream of [process.stdout, process.stderr]) (stream as { _handle?: { setBlocking?(on: boolean): void } })._handle?.setBlocking?.(true);
  const channel = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
  const decoder = new FrameDecoder();
  let queue = Promise.resolve();

  const answer = async (request: ChildRequest) => {
    if (request.kind === 'close') exit(0);
    else channel.write(frameOf(await handle(request)));
  };
  channel.on('data', (chunk: Buffer) => {
    for (const payload of decoder.push(chunk)) {
      const request = deserialize(payload) as ChildRequest;
      queue = queue.then(() => answer(request));
    }
  });
  channel.on('end', () => exit(0));
  channel.on('error', () => exit(1));
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
