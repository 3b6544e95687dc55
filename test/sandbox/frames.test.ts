// What the student's code threw comes back with the frames of their lab.ts, and only those.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FRAMES } from '../../src/sandbox/frames.ts';
import { openInProcess } from '../../src/sandbox/inprocess.ts';
import { openSandboxed } from '../../src/sandbox/process.ts';
import { StudentError, type LabClient, type PlainTensor } from '../../src/sandbox/protocol.ts';
import { tempDir } from '../helpers/temp.ts';

const LAB = `import { tensor, type Tensor } from 'propgrade/autograd';

function deepest(n: number): number {
  if (n > 2) throw new RangeError('too deep: ' + n);
  return deepest(n + 1);
}

export function throws(x: Tensor): Tensor {
  return tensor([deepest(x.shape.length)]);
}

export function recurses(x: Tensor, n = 0): Tensor {
  if (n === 50) throw new Error('bottom');
  return recurses(x, n + 1);
}

export function engineThrows(a: Tensor, b: Tensor): Tensor {
  return a.matmul(b);
}
`;
/** The 1-based line of the first line of LAB that contains `text`. */
const lineOf = (text: string) => LAB.split('\n').findIndex((line) => line.includes(text)) + 1;
const t = (shape: number[], values: number[]): PlainTensor => ({ shape, data: new Float64Array(values) });

async function thrown(lab: LabClient, name: string, ...args: PlainTensor[]): Promise<StudentError> {
  try {
    await lab.call(name, ...args);
  } catch (error) {
    if (error instanceof StudentError) return error;
    throw error;
  } finally {
    await lab.close();
  }
  throw new Error(`${name} did not throw`);
}

describe.each([
  ['sandboxed', (path: string) => openSandboxed(path)],
  ['in process', (path: string) => openInProcess(path)],
])('a throw %s', (_, open) => {
  it('names the lab.ts line of every frame of the student, innermost first', async () => {
    const path = join(await tempDir('frames'), 'lab.ts');
    await writeFile(path, LAB);
    const error = await thrown(await open(path), 'throws', t([1], [0]));
    expect(error.kind).toBe('threw');
    expect(error.message).toBe('RangeError: too deep: 3');
    const frames = error.frames;
    const recursion = `at deepest (lab.ts:${lineOf('return deepest(n + 1)')}:`;
    expect(frames[0]).toMatch(new RegExp(`^at deepest \\(lab\\.ts:${lineOf("throw new RangeError")}:\\d+\\)$`));
    expect(frames.slice(1, 3).every((frame) => frame.startsWith(recursion))).toBe(true);
    expect(frames[3]).toMatch(new RegExp(`^at throws \\(lab\\.ts:${lineOf('tensor([deepest(')}:\\d+\\)$`));
    expect(frames).toHaveLength(4);
  });

  it(`shows at most ${MAX_FRAMES} frames, the innermost`, async () => {
    const path = join(await tempDir('frames'), 'lab.ts');
    await writeFile(path, LAB);
    const frames = (await thrown(await open(path), 'recurses', t([1], [0]))).frames;
    expect(frames).toHaveLength(MAX_FRAMES);
    expect(frames[0]).toContain(`(lab.ts:${lineOf("throw new Error('bottom')")}:`);
  });

  it('leaves out the engine and the harness frames of an error the engine threw', async () => {
    const path = join(await tempDir('frames'), 'lab.ts');
    await writeFile(path, LAB);
    const error = await thrown(await open(path), 'engineThrows', t([1, 2], [1, 2]), t([3, 1], [1, 2, 3]));
    expect(error.frames).toEqual([expect.stringMatching(new RegExp(`^at engineThrows \\(lab\\.ts:${lineOf('a.matmul(b)')}:\\d+\\)$`))]);
  });
});
