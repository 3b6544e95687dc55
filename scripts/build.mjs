// Builds what plain Node needs and cannot take as TypeScript: the engine that students import as
// `propgrade/autograd`. Everything else runs from source through tsx (see bin/propgrade.js).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  entryPoints: [`${root}src/autograd/index.ts`],
  outfile: `${root}dist/autograd.js`,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
