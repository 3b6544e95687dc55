// Stryker over the reference solution, the spec suite as its tests (test/stryker). `propgrade harden`
// runs it and reads reports/mutation/mutation.json into its kill matrix.
import { fileURLToPath } from 'node:url';

// Hidden properties compare the mutated copy with this pristine file (Stryker mutates a sandbox copy).
process.env.PROPGRADE_PRISTINE_REFERENCE ??= fileURLToPath(new URL('./reference/lab.ts', import.meta.url));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['reference/lab.ts'],
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
