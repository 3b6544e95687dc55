// Builds what plain Node and outside TypeScript projects need and cannot take as TypeScript source:
//   dist/autograd.js   the engine students import as `propgrade/autograd` (one file, imports nothing);
//   dist/tfjs-gradients.js  what the union package @tensorflow/tfjs registered and the oracle needs
//                      of it: tfjs-core's gradients and chained ops (src/oracle/backend.ts);
//   dist/cli/          the command line prebuilt (bin/propgrade.js runs it while it is fresher than
//                      every source file it was built from, else the source through tsx);
//   dist/types/        the declarations of the three entry points (propgrade, propgrade/spec,
//                      propgrade/autograd), relative imports rewritten from .ts to .js;
//   dist/no-sockets    the sandbox's seccomp launcher (src/sandbox/no-sockets.c), where a C
//                      compiler is (Linux); without it the sandbox runs without that layer.
// `--engine-only`: dist/autograd.js alone (the student kit).
import { build } from 'esbuild';
import { buildCli } from './build-cli.mjs';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const engineOnly = process.argv.includes('--engine-only');
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

if (!engineOnly) {
  // Core's own registration modules, which Node cannot import (ES modules in a CommonJS package,
  // imported without extensions). Bundled, they bring a copy of the core code they use; it shares
  // the engine, the registries and the Tensor class with the core that loaded first, through globalThis.
  await build({
    stdin: {
      contents: ['register_all_gradients', 'public/chained_ops/register_all_chained_ops'].map((m) => `import '@tensorflow/tfjs-core/dist/${m}';`).join('\n'),
      resolveDir: root,
      sourcefile: 'tfjs-gradients.js',
    },
    outfile: `${root}dist/tfjs-gradients.js`,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  // Not fatal: without the prebuilt CLI, bin/propgrade.js runs the source (only slower to start).
  await buildCli(root, join(root, 'dist/cli')).catch((error) => console.warn(`build: the prebuilt command line was not built, the source runs instead: ${error.message}`));
}

// Where only grading runs (`npm ci --omit=dev`, Gradescope) there is no TypeScript compiler, and no
// one to read the declarations: the engine alone is built.
const tsc = (() => {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
})();
if (!engineOnly && tsc === undefined) console.warn('build: typescript is not installed here: dist/types (declarations) not built');
if (!engineOnly && tsc !== undefined) {
  const types = join(root, 'dist/types');
  rmSync(types, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  // A project importing propgrade does not allow `.ts` in import paths (TS5097): point at the .d.ts by their .js names.
  const rewrite = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) rewrite(path);
      else if (name.endsWith('.d.ts')) writeFileSync(path, readFileSync(path, 'utf8').replace(/((?:from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]*?)\.ts(['"])/g, '$1.js$2'));
    }
  };
  rewrite(types);
}

// The no-sockets layer's launcher (src/sandbox/layers.ts probes it; a missing one is a missing layer).
if (!process.argv.includes('--engine-only') && process.platform === 'linux') {
  const launcher = join(root, 'dist/no-sockets');
  rmSync(launcher, { force: true });
  try {
    execFileSync('cc', ['-O2', '-Wall', '-Werror', '-o', launcher, join(root, 'src/sandbox/no-sockets.c')], { stdio: 'pipe' });
  } catch (error) {
    console.warn(`build: dist/no-sockets not built (the sandbox runs without its no-sockets layer): ${String(error.stderr || error.message).trim()}`);
  }
}
