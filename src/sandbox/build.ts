/**
 * Builds one submitted lab.ts into a bundle that holds the student's code, the engine and the
 * harness, and nothing else, in a fresh folder. `propgrade/autograd` resolves to the engine's
 * source; every other import the student module makes is refused with the reason.
 *
 * A sandbox folder holds two programs: the child's boot (child-main.ts: the request loop and the
 * lockdown, the same for every submission, built once per process) and the bundle, which the boot
 * imports on its first request. So the sandboxed process can start while the bundle still builds
 * (bundleFolder, then bundleSubmission into it): node's start-up no longer waits for esbuild.
 */
import { build, type Message, type Plugin } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { once } from '../memo.ts';
import { labFrames } from './frames.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ENGINE = resolve(here, '../autograd/index.ts');
const HARNESS = resolve(here, 'harness.ts');
const CHILD_MAIN = resolve(here, 'child-main.ts');

/** The bundle's name in its folder; the boot imports it from beside itself. */
const BUNDLE = 'lab.bundle.mjs';
/** The program the sandbox runs: the boot. */
export const CHILD_BOOT = 'child.mjs';
/** The boot in a sandbox folder (bundleFolder), what the sandboxed node runs. */
export const bootOf = (dir: string) => join(dir, CHILD_BOOT);

export interface Bundle {
  /** The folder that holds the bundle and nothing else (the sandbox may read only this). */
  dir: string;
  /** The bundle itself, an ES module exporting the harness's `handle`. */
  file: string;
  /** Its source map (for coverage of lab.ts). */
  map: string;
  /** The lab.ts frames of a stack thrown in the bundle, `at name (lab.ts:LINE:COL)`, innermost first (frames.ts). */
  frames(stack: string): string[];
  remove(): Promise<void>;
}

/** Why a submission could not be built: a syntax error, a refused import; with file:line:column. */
export class BuildError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('\n'));
    this.name = 'BuildError';
  }
}

export interface BuildOptions {
  /** `child`: for the sandbox (import() lowered to the lockdown's gate, the boot beside it); `inprocess`: imported by the grader. */
  entry: 'child' | 'inprocess';
  /** The lab's driver module (public code bundled beside the harness), if it has one. */
  driver?: string;
  /** Where to make the fresh folder (default: the system temp dir). */
  parent?: string;
  /** Build into this folder of bundleFolder's instead (`entry: 'child'`); it stays the caller's to remove when the build fails. */
  dir?: string;
  /** The module's text as the grader read it (src/submission.ts): esbuild then reads nothing at `labPath`, a link least of all. */
  source?: string;
}

/** A build that takes longer is abandoned: a lab module of bounded size builds in well under a second, even on a loaded machine. */
export const BUILD_TIMEOUT_MS = 60_000;

/** A fresh folder for a sandbox bundle, the child's boot already in it: the sandbox may start before the bundle is built. */
export async function bundleFolder(parent = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, 'propgrade-build-'));
  try {
    await writeFile(bootOf(dir), await bootProgram());
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

/** The boot's text, built once per process: it is the same for every submission. */
const boots = new Map<string, Promise<string>>();
const bootProgram = () =>
  once(boots, CHILD_MAIN, async () => {
    const built = await build({
      stdin: { contents: `import { serve } from ${JSON.stringify(CHILD_MAIN)};\nserve(() => import('./${BUNDLE}'));\n`, resolveDir: here, sourcefile: 'propgrade-boot.ts', loader: 'ts' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      external: [`./${BUNDLE}`],
    });
    return built.outputFiles[0]!.text;
  });

export async function bundleSubmission(labPath: string, options: BuildOptions): Promise<Bundle> {
  const lab = resolve(labPath);
  const child = options.entry === 'child';
  const given = options.dir;
  const dir = given ?? (child ? await bundleFolder(options.parent) : await mkdtemp(join(options.parent ?? tmpdir(), 'propgrade-build-')));
  const file = join(dir, BUNDLE);
  const drivers = options.driver ? `import * as drivers from ${JSON.stringify(resolve(options.driver))};\n` : 'const drivers = {};\n';
  const contents = `import { createHandler } from ${JSON.stringify(HARNESS)};\n${drivers}export const handle = createHandler(() => import(${JSON.stringify(lab)}), drivers);\n`;
  try {
    if (options.source !== undefined && Buffer.byteLength(options.source) >= ISOLATED_PARSE_FROM_BYTES) await parsesInIsolation(options.source);
    await withDeadline(build({
      stdin: { contents, resolveDir: dir, sourcefile: 'propgrade-entry.ts', loader: 'ts' },
      outfile: file,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      sourcesContent: true,
      logLevel: 'silent',
      // In the child, import() becomes a call of the global `require`, which the child sets to its
      // allow-list of builtins (lockdown.ts): no module is reached at run time except through it.
      ...(child ? { supported: { 'dynamic-import': false } } : {}),
      plugins: [onlyTheEngine(lab, options.source)],
    }));
    // Read now, before any student code runs beside it in that folder.
    const frames = labFrames(file, await readFile(`${file}.map`, 'utf8'), lab);
    return { dir, file, map: `${file}.map`, frames, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    if (given === undefined) await rm(dir, { recursive: true, force: true });
    const errors = (error as { errors?: Message[] }).errors;
    if (errors) throw new BuildError(errors.map(describe));
    throw error;
  }
}

/** The student's imports: `propgrade/autograd` and nothing else. The grader's own imports resolve as usual. */
function onlyTheEngine(lab: string, source: string | undefined): Plugin {
  return {
    name: 'propgrade-only-the-engine',
    setup(b) {
      if (source !== undefined) b.onLoad({ filter: new RegExp(`^${lab.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }, () => ({ contents: source, loader: 'ts' }));
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.path === 'propgrade/autograd') return { path: ENGINE };
        if (args.importer !== lab) return undefined;
        return {
          errors: [{ text: `import of '${args.path}' is not allowed: a lab module imports only 'propgrade/autograd'` }],
        };
      });
    },
  };
}

/** esbuild's build has no cancel: past the deadline the bundle is given up (its service stays usable). */
async function withDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BuildError([`the build took longer than ${BUILD_TIMEOUT_MS / 1000} s and was stopped`])), BUILD_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Smaller modules skip the isolated parse (40 to 90 ms a build): the shortest text measured to crash
 * esbuild is 175 KB (`!` nested 175,000 deep; brackets, calls, members alike; `()=>` 344 KB, `2**`
 * and parentheses more); 30 of the densest forms at 16 KiB all parsed, and test/sandbox/build.test.ts
 * builds the densest just under it in this process's esbuild.
 */
export const ISOLATED_PARSE_FROM_BYTES = 16 * 1024;

/**
 * The isolated parse's command: esbuild's own executable where its package installed one for this
 * platform (a few milliseconds; it exits 0 parsed, 1 for a syntax error, 2 when it crashes), else a
 * Node process calling esbuild's API (0.3 s; it exits 0 unless esbuild itself failed).
 */
const ISOLATED_PARSE = ((): { file: string; args: string[]; parsed: (code: number | null) => boolean } => {
  try {
    const file = require.resolve(`@esbuild/${process.platform}-${process.arch}/bin/esbuild`);
    return { file, args: ['--loader=ts', '--log-level=silent'], parsed: (code) => code === 0 || code === 1 };
  } catch {
    const script = `import { transform } from ${JSON.stringify(pathToFileURL(require.resolve('esbuild')).href)};
const chunks = []; for await (const chunk of process.stdin) chunks.push(chunk);
await transform(Buffer.concat(chunks).toString('utf8'), { loader: 'ts', logLevel: 'silent' }).catch((e) => { if (!e.errors) throw e; });`;
    return { file: process.execPath, args: ['--input-type=module', '-e', script], parsed: (code) => code === 0 };
  }
})();

/**
 * esbuild parses a submission first in a process of its own, with a deadline: nesting hundreds of
 * thousands deep overflows the stack of esbuild's service, which would stop every later build of
 * this process and print a Go stack dump. A syntax error is not this check's to report.
 */
async function parsesInIsolation(source: string): Promise<void> {
  const { file, args, parsed } = ISOLATED_PARSE;
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
    const child = spawn(file, args, { stdio: ['pipe', 'ignore', 'ignore'], timeout: BUILD_TIMEOUT_MS, killSignal: 'SIGKILL' });
    child.on('error', fail);
    child.on('exit', (code, signal) => done({ code, signal }));
    child.stdin.on('error', () => undefined); // a child that died early closes its end
    child.stdin.end(source);
  });
  if (parsed(outcome.code)) return;
  const why = outcome.signal === 'SIGKILL' ? `took longer than ${BUILD_TIMEOUT_MS / 1000} s to parse` : 'made the compiler fail (it is nested too deeply, or too large, to compile)';
  throw new BuildError([`the module ${why}; simplify it`]);
}

function describe(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : '';
  return `${where}${message.text}`;
}
