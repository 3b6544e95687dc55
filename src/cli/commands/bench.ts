/**
 * `propgrade bench` (also `npm run bench`): the benchmark sections, in order. Each is a module
 * under bench/ exporting `run(): Promise<void>` that prints its own table; add a section by adding
 * one line to SECTIONS.
 */
import { UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';

const SECTIONS: { name: string; what: string; load: () => Promise<{ run(): Promise<void> }> }[] = [
  { name: 'engine', what: 'one RNN training step: the engine against TensorFlow.js and against plain fused loops (its floor)', load: () => import('../../../bench/engine.ts') },
  { name: 'startup', what: 'fresh grade and check processes: the time to each phase, CPU time, peak memory', load: () => import('../../../bench/profile.ts') },
  { name: 'grading', what: 'grading throughput: warm and fresh, one submission and a class', load: () => import('../../../bench/grading.ts') },
  { name: 'sandbox', what: "the sandbox's round trip a call: against the machine's floor, and one public check's calls in process and sandboxed", load: () => import('../../../bench/sandbox.ts') },
  { name: 'load', what: 'the corpora graded idle and beside two busy loops: the outcomes must be equal', load: () => import('../../../bench/under-load.ts') },
];

export const command = defineCommand({
  description: `Prints each section's table (all of them without --section):
${SECTIONS.map((s) => `  ${s.name.padEnd(8)} ${s.what}`).join('\n')}
Targets are printed beside the figures (PASS / MISS); no figure changes the exit code.`,
  options: {
    section: { type: 'string', value: 'NAME', multiple: true, description: `a section to run: ${SECTIONS.map((s) => s.name).join(', ')}` },
  },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`propgrade bench takes no positional argument, got '${positionals[0]}'\nusage: ${command.usage('bench')}`);
    const wanted = values.section ?? SECTIONS.map((s) => s.name);
    const unknown = wanted.filter((name) => !SECTIONS.some((s) => s.name === name));
    if (unknown.length > 0) throw new UsageError(`propgrade bench: unknown section ${unknown.join(', ')} (sections: ${SECTIONS.map((s) => s.name).join(', ')})\nusage: ${command.usage('bench')}`);
    for (const section of SECTIONS.filter((s) => wanted.includes(s.name))) {
      console.log(`\n== ${section.name} ==`);
      await (await section.load()).run();
    }
    return 0;
  },
});
