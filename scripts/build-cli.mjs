// The prebuilt command line (scripts/build.mjs builds it into dist/cli/; the test that it agrees with
// the source builds one elsewhere): main.js (the command line), index.js and spec.js (`propgrade`,
// `propgrade/spec`, which a lab imports: bin/resolve-propgrade.mjs points them here so that a lab
// shares the modules the CLI runs), their shared chunks and the commands, each loaded when called.
// inputs.json lists the sources, for bin/prebuilt.mjs to tell whether the build is fresh.
// Packages stay external: only the project's own TypeScript is compiled ahead of time. Each module's
// `import.meta.url` stays its source file's URL (computed from the bundle's own, so the folder can
// move with the project): what a module finds beside itself (the harness, the engine declarations,
// the bundled labs, package.json) is found from the bundle too.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const posix = (path) => path.split(sep).join('/');

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
    entryPoints: { main: join(root, 'src/cli/main.ts'), index: join(root, 'src/index.ts'), spec: join(root, 'src/spec/index.ts') },
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
    plugins: [sourceUrl],
    logLevel: 'warning',
  });
  const inputs = Object.keys(metafile.inputs).map((input) => posix(relative(root, join(process.cwd(), input))));
  writeFileSync(join(outdir, 'inputs.json'), JSON.stringify({ inputs: [...inputs, 'package.json', 'scripts/build-cli.mjs'].sort() }));
}
