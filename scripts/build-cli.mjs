// The prebuilt command line (scripts/build.mjs builds it into dist/cli/; the test that it agrees with
// the source builds one elsewhere): main.js (the command line), index.js and spec.js (`propgrade`,
// `propgrade/spec`, which a lab imports: bin/resolve-propgrade.mjs points them here so that a lab
// shares the modules the CLI runs), their shared chunks and the commands, each loaded when called.
// inputs.json lists the sources, for bin/prebuilt.mjs to tell whether the build is fresh.
// The modules the grader runs in a budget worker (src/sandbox/budget.ts) are entry points too, at
// their path under src/ (static/index.js): the worker imports them as built, with no TypeScript
// compiler to start in the thread (tsx costs the static checks' worker 0.3 s).
// Packages stay external: only the project's own TypeScript is compiled ahead of time. Each module's
// `import.meta.url` stays its source file's URL (computed from the bundle's own, so the folder can
// move with the project): what a module finds beside itself (the harness, the engine declarations,
// the bundled labs, package.json) is found from the bundle too.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

const posix = (path) => path.split(sep).join('/');

/**
 * CommonJS packages the grader loads that are big: imported from ESM, Node lexes their whole source
 * to find the names they export (0.15 s of CPU for ts-morph, 0.35 s for TensorFlow.js here);
 * required, it does not. The build imports each through a module that requires it and exports the
 * names it has (read here, at build time), so the bundle's imports stay as written and as lazy.
 */
const REQUIRED = ['ts-morph', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', 'istanbul-lib-instrument'];

function throughRequire(root) {
  const require = createRequire(join(root, 'package.json'));
  return {
    name: 'commonjs-through-require',
    setup(b) {
      const filter = new RegExp(`^(${REQUIRED.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})$`);
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'required' }));
      b.onLoad({ filter: /.*/, namespace: 'required' }, (args) => {
        const names = Object.keys(require(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
        const contents = [
          `import { createRequire } from 'node:module';`,
          `const m = createRequire(import.meta.url)(${JSON.stringify(args.path)});`,
          'export default m;',
          `export const { ${names.join(', ')} } = m;`,
        ].join('\n');
        return { contents, loader: 'js', resolveDir: root };
      });
    },
  };
}

/**
 * Labs (specs/) and the benchmarks (bench/) stay out of the bundle, imported from where they are:
 * the framework bundles no lab (a lab's hidden code must never sit in a built file that could be
 * shipped), and a copy without bench/ (the Gradescope zip) still builds.
 */
function outside(root, outdir) {
  const kept = ['specs', 'bench'].map((folder) => join(root, folder) + sep);
  return {
    name: 'labs-and-benchmarks-outside',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        return kept.some((folder) => path.startsWith(folder)) ? { path: posix(relative(outdir, path)), external: true } : undefined;
      });
    },
  };
}

/** What runs in budget workers (src/sandbox/budget.ts), by path under src/. */
export const WORKER_MODULES = ['static/index.ts', 'reports/graph.ts'];

export async function buildCli(root, outdir) {
  rmSync(outdir, { recursive: true, force: true });
  const sourceUrl = {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = JSON.stringify(posix(relative(outdir, args.path)));
        return { contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', `new URL(${source}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
  const { metafile } = await build({
    entryPoints: {
      main: join(root, 'src/cli/main.ts'),
      index: join(root, 'src/index.ts'),
      spec: join(root, 'src/spec/index.ts'),
      ...Object.fromEntries(WORKER_MODULES.map((path) => [path.replace(/\.ts$/, ''), join(root, 'src', path)])),
    },
    // src/sandbox/budget.ts: a worker loads these modules' built entries.
    define: { PROPGRADE_PREBUILT: 'true' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'chunk-[hash]',
    // No source maps: Node would read them at every start (tsx turns source maps on). Not minified:
    // a grader fault's stack still names its functions.
    metafile: true,
    plugins: [outside(root, outdir), sourceUrl, throughRequire(root)],
    logLevel: 'warning',
  });
  // The files compiled in (not the modules made here, which esbuild names `namespace:path`).
  const inputs = Object.keys(metafile.inputs).filter((input) => !/^[\w-]+:/.test(input)).map((input) => posix(relative(root, join(process.cwd(), input))));
  writeFileSync(join(outdir, 'inputs.json'), JSON.stringify({ inputs: [...inputs, 'package.json', 'scripts/build-cli.mjs'].sort() }));
}
