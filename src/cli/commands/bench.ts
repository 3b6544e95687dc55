/**
 * `propgrade bench` (also `npm run bench`): the benchmark sections, in order. Each is a module
 * under bench/ exporting `run(): Promise<void>` that prints its own table; add a section by adding
 * one line to SECTIONS.
 */
import { parseCommand } from '../args.ts';

const SECTIONS: { name: string; load: () => Promise<{ run(): Promise<void> }> }[] = [
  { name: 'engine', load: () => import('../../../bench/engine.ts') },
  { name: 'grading', load: () => import('../../../bench/grading.ts') },
  { name: 'load', load: () => import('../../../bench/under-load.ts') },
];

const USAGE = `propgrade bench [--section NAME]   sections: ${SECTIONS.map((s) => s.name).join(', ')}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand('bench', argv, { section: { type: 'string', multiple: true } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const wanted = values.section ?? SECTIONS.map((s) => s.name);
  const unknown = wanted.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length > 0) {
    console.error(`propgrade bench: unknown section ${unknown.join(', ')}\nusage: ${USAGE}`);
    return 2;
  }
  for (const section of SECTIONS.filter((s) => wanted.includes(s.name))) {
    console.log(`\n== ${section.name} ==`);
    await (await section.load()).run();
  }
  return 0;
}
