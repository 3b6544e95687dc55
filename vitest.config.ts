import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Inside the project's own tests the engine is its source, never the built copy.
    alias: {
      'propgrade/autograd': here('./src/autograd/index.ts'),
      'propgrade/spec': here('./src/spec/index.ts'),
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'specs/**/*.test.ts'],
    setupFiles: [here('./test/setup.ts')],
    globalSetup: [here('./test/global-setup.ts')],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
