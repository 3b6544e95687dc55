#!/usr/bin/env node
// The command line: the prebuilt one (dist/cli/, built by `npm ci` through `prepare`, or `npm run
// build`) while it is fresh, else the TypeScript source through tsx (see prebuilt.mjs).
import { register as registerHooks } from 'node:module';
import { prebuiltCli } from './prebuilt.mjs';

// `propgrade ... | head` closes the pipe early: that is the reader's choice, not a grader failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const argv = process.argv.slice(2);
const prebuilt = prebuiltCli();
// The command list and the version load no command, so no TypeScript (tsx costs a quarter of a
// second to start); a command, even for its help, may import a lab's or a benchmark's.
const labs = !(argv.length === 0 || (argv.length === 1 && ['--help', '-h', 'help', '--version', '-v'].includes(argv[0])));
if (!prebuilt || labs) (await import('tsx/esm/api')).register();
// After tsx, so that it runs first: labs outside this folder import this propgrade (see the hook);
// from the prebuilt CLI, `propgrade` and `propgrade/spec` are the CLI's own modules.
if (labs) registerHooks('./resolve-propgrade.mjs', { parentURL: import.meta.url, data: { prebuilt: prebuilt?.href ?? null } });
const { main, killChildren } = await import(prebuilt ? new URL('main.js', prebuilt).href : '../src/cli/main.ts');
// Whatever way the command ends, it leaves no process behind.
process.on('exit', killChildren);
process.exitCode = await main(argv);
