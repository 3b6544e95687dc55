/**
 * The layers probe remembered per machine (src/sandbox/probe-memo.ts): only the strongest outcome,
 * only under the same conditions, only from a file and folder of this user's that no one else may write.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { rememberedConfinement, THIS_MACHINE } from '../../src/sandbox/layers.ts';
import { probeConditions, recalled, remember } from '../../src/sandbox/probe-memo.ts';
import { tempDir } from '../helpers/temp.ts';

describe('the probe memo', () => {
  test('remembered conditions are recalled; other conditions are not', async () => {
    const dir = join(await tempDir('memo'), 'cache');
    const here = probeConditions([process.execPath], 1);
    expect(recalled(here, dir)).toBe(false);
    remember(here, dir);
    expect(recalled(here, dir)).toBe(true);
    expect(recalled(probeConditions([process.execPath], 2), dir)).toBe(false);
    expect(probeConditions([process.execPath], 1)).toBe(here);
  });

  test('a program that changed changes the conditions', async () => {
    const dir = await tempDir('memo-tool');
    const tool = join(dir, 'tool');
    writeFileSync(tool, 'a');
    const before = probeConditions([tool], 0);
    writeFileSync(tool, 'ab');
    expect(probeConditions([tool], 0)).not.toBe(before);
  });

  test.each([
    ['a memo others may write', (dir: string, file: string) => chmodSync(file, 0o666)],
    ['a folder others may write', (dir: string) => chmodSync(dir, 0o777)],
    ['a memo that is a link', (dir: string, file: string) => {
      const real = join(dir, 'real');
      writeFileSync(real, readFileSync(file));
      writeFileSync(file, '');
      const linked = `${file}.link`;
      symlinkSync(real, linked);
      renameSync(linked, file);
    }],
  ])('%s is not trusted', async (_, spoil) => {
    const dir = join(await tempDir('memo-spoiled'), 'cache');
    const here = probeConditions([process.execPath], 'spoiled');
    remember(here, dir);
    spoil(dir, join(dir, 'layers-probe'));
    expect(recalled(here, dir)).toBe(false);
  });

  test('this machine: a recalled confinement is the probed one, and a weaker outcome is never remembered', async () => {
    const dir = join(await tempDir('memo-machine'), 'cache');
    const probed = await rememberedConfinement(THIS_MACHINE, dir);
    const again = await rememberedConfinement(THIS_MACHINE, dir);
    expect(again.layers).toEqual(probed.layers);
    expect(again.asNobody).toBe(probed.asNobody);
    expect(again.command('/b', '/b/child.js', { heapMb: 64, memoryMb: 2048, cpuSeconds: 60 })).toEqual(
      probed.command('/b', '/b/child.js', { heapMb: 64, memoryMb: 2048, cpuSeconds: 60 }),
    );
    // Without the no-sockets launcher nothing stronger than a fallback runs: the next probe must run again.
    const weaker = { ...THIS_MACHINE, noSockets: join(dir, 'absent') };
    mkdirSync(dir, { recursive: true });
    const found = await rememberedConfinement(weaker, dir);
    expect(found.refused.length).toBeGreaterThan(0);
    const conditions = probeConditions([weaker.node, ...Object.values(weaker.tools), weaker.noSockets], { isRoot: weaker.isRoot, limits: { heapMb: 128, memoryMb: 2048, cpuSeconds: 60 } });
    expect(recalled(conditions, dir)).toBe(false);
  });
});
