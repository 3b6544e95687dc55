// Stryker over the reference solution, the spec suite as its tests (test/stryker), for Stryker's own
// report: `npx stryker run stryker.config.mjs` (PROPGRADE_LAB and PROPGRADE_STRYKER_MUTATE pick another
// lab). `propgrade harden` does not need this run: it takes Stryker's mutants from its instrumenter and
// grades them through the pipeline like its own.
import { fileURLToPath } from 'node:url';

// The lab's reference (relative to this folder).
const MUTATE = process.env.PROPGRADE_STRYKER_MUTATE ?? 'specs/rnn/reference/lab.ts';
// Hidden properties compare the mutated copy with this pristine file (Stryker mutates a sandbox copy).
process.env.PROPGRADE_PRISTINE_REFERENCE ??= fileURLToPath(new URL(`./${MUTATE}`, import.meta.url));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [MUTATE],
  // The tests bundle the lab file rather than import it: vitest cannot tell they are related.
  vitest: { configFile: 'test/stryker/vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  checkers: [],
  reporters: ['json', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20000,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', '.stryker-tmp', 'dist/*.map'],
  cleanTempDir: true,
};
