/**
 * A class of submissions made from the corpus, for `propgrade batch` benchmarks and demos:
 *
 *   npx tsx scripts/make-class.ts <out-dir> [--count 100] [--hostile 2]
 *
 * Writes <out-dir>/student-001 .. student-NNN, each holding one corpus lab.ts: the correct and the
 * single-bug submissions of specs/rnn/corpus in turn, and `--hostile` of fixtures/hostile spread
 * evenly (the last ones). <out-dir>/manifest.json says which fixture each student got. The same
 * arguments always give the same class.
 */
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const CORPUS = fileURLToPath(new URL('../specs/rnn/corpus/', import.meta.url));

/** The folders under `dir` holding a lab.ts, as absolute paths. */
async function corpus(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const withLab = await Promise.all(names.map(async (n) => ((await readdir(join(dir, n))).includes('lab.ts') ? n : undefined)));
  return withLab.filter((n): n is string => n !== undefined).sort().map((n) => join(dir, n));
}

export async function makeClass(outDir: string, count: number, hostileCount: number): Promise<Record<string, string>> {
  const [regular, hostile] = [await corpus(CORPUS), await corpus(join(FIXTURES, 'hostile'))];
  if (regular.length === 0) throw new Error(`make-class: no submissions with a lab.ts under ${CORPUS}`);
  const hostiles = hostile.slice(0, hostileCount);
  // Hostile students sit at evenly spaced places: with 100 and 2, students 50 and 100.
  const hostileAt = new Map(hostiles.map((fixture, k) => [Math.round(((k + 1) * count) / hostiles.length), fixture]));
  const manifest: Record<string, string> = {};
  await rm(outDir, { recursive: true, force: true });
  let next = 0;
  for (let i = 1; i <= count; i++) {
    const student = `student-${String(i).padStart(3, '0')}`;
    const fixture = hostileAt.get(i) ?? regular[next++ % regular.length]!;
    await mkdir(join(outDir, student), { recursive: true });
    await copyFile(join(fixture, 'lab.ts'), join(outDir, student, 'lab.ts'));
    manifest[student] = relative(join(FIXTURES, '..'), fixture);
  }
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    options: { count: { type: 'string', default: '100' }, hostile: { type: 'string', default: '2' } },
    allowPositionals: true,
  });
  const [outDir] = positionals;
  const count = Number(values.count);
  const hostile = Number(values.hostile);
  if (!outDir || !Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(hostile) || hostile < 0) {
    console.error('usage: npx tsx scripts/make-class.ts <out-dir> [--count 100] [--hostile 2]');
    process.exit(2);
  }
  const manifest = await makeClass(outDir, count, hostile);
  const kinds = new Map<string, number>();
  for (const fixture of Object.values(manifest)) {
    const kind = fixture.split('/')[0]!;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  console.log(`wrote ${count} submissions to ${outDir}: ${[...kinds].map(([kind, n]) => `${n} from ${kind}`).join(', ')}`);
}
