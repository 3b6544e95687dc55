// Stryker's vitest project: the project's alias and setup (fast-check's pinned seed), and the spec
// suite on the reference as the only test file.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

export default defineConfig({
  resolve: base.resolve,
  test: {
    include: ['test/stryker/*.stryker.ts'],
    setupFiles: [fileURLToPath(new URL('../setup.ts', import.meta.url))],
    testTimeout: 120_000,
  },
});
