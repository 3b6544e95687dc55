// Stryker over the reference solution, the spec suite as its tests (test/stryker). `propgrade harden`
// runs it and reads reports/mutation/mutation.json into its kill matrix.
import { fileURLToPath } from 'node:url';

// `propgrade harden` names the lab's reference (relative to this folder) in PROPGRADE_STRYKER_MUTATE.
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
