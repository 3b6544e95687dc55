/**
 * Where a submission's lab.ts is, and its bytes: the one place the grader reads a submitted file
 * (`grade`, `check`, `lint`, `batch`, the HTML report). The grader reads with more rights than the
 * student has, so a link (to the reference, to another student's file, to /proc/self/environ) or a
 * device, a FIFO or a huge file is refused with a clear message and never read.
 */
import { constants } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** The largest submitted file read; a lab module is a few kilobytes, this leaves room for long comments. */
export const MAX_SUBMISSION_BYTES = 1024 * 1024;

export type Located = { file: string; source: Buffer } | { missing: string };

/**
 * `submission` is a folder holding `fileName` (the lab's submission file), or the file itself; its
 * bytes, or the reason there are none. The folder may be reached through a link (staff name it);
 * the file must be a regular file directly in it, not a link, of at most MAX_SUBMISSION_BYTES.
 */
export async function locateLab(submission: string, fileName = 'lab.ts'): Promise<Located> {
  const info = await stat(submission).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    const why = info.code === 'ENOENT' || info.code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${info.code === 'EACCES' ? 'permission denied' : info.code})`;
    return { missing: `The submission '${submission}' ${why}.` };
  }
  // `dir/lab.ts` linked to a folder names the file, not a folder to look in.
  const named = basename(submission) === fileName;
  const file = info.isDirectory() && !named ? join(submission, fileName) : submission;
  if (file !== submission && !(await lstat(file).catch(() => undefined))) {
    return { missing: `There is no ${fileName} in '${submission}': a submission is a folder holding ${fileName} (or the path of that file).` };
  }
  const read = await readSubmitted(file);
  return 'source' in read ? { file, source: read.source } : { missing: `${fileName} is refused: ${read.refused}` };
}

/**
 * The bytes of a submitted file, read without following a link, or why not. The folder holding it
 * is taken as it is; the file itself must be a regular file of bounded size, opened `O_NOFOLLOW`
 * and checked to be the very file lstat saw (no link or FIFO swapped in between).
 */
export async function readSubmitted(path: string, maxBytes = MAX_SUBMISSION_BYTES): Promise<{ source: Buffer } | { refused: string }> {
  const name = basename(path);
  let handle;
  try {
    const link = await lstat(path);
    if (link.isSymbolicLink()) return { refused: `'${name}' is a symbolic link; submit the file itself.` };
    if (!link.isFile()) return { refused: `'${name}' is not a regular file (${kind(link)}).` };
    // O_NOFOLLOW: a link swapped in after lstat is not followed; O_NONBLOCK: nor does a FIFO hang the open.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const opened = await handle.stat();
    if (!opened.isFile()) return { refused: `'${name}' is not a regular file (${kind(opened)}).` };
    if (opened.dev !== link.dev || opened.ino !== link.ino) return { refused: `'${name}' changed while it was read.` };
    if (opened.size > maxBytes) return { refused: `'${name}' is ${opened.size} bytes; a submission is at most ${maxBytes} bytes.` };
    // Read at most one byte past the bound: a file that grows meanwhile is still refused, not read whole.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length <= maxBytes; length += n) n = (await handle.read(buffer, length, maxBytes + 1 - length, length)).bytesRead;
    if (length > maxBytes) return { refused: `'${name}' is over ${maxBytes} bytes; a submission is at most ${maxBytes} bytes.` };
    return { source: buffer.subarray(0, length) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { refused: `'${name}' is a symbolic link; submit the file itself.` };
    if (code === 'EACCES' || code === 'EPERM') return { refused: `'${name}' cannot be read (permission denied); submit a readable file.` };
    if (code === 'ENOENT' || code === 'ENOTDIR') return { refused: `'${name}' does not exist.` };
    return { refused: `'${name}' cannot be read (${code ?? (error as Error).message}).` };
  } finally {
    await handle?.close();
  }
}

function kind(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}
