#!/usr/bin/env node
// The command line runs from TypeScript source through tsx: no build step can go stale.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

// `propgrade ... | head` closes the pipe early: that is the reader's choice, not a grader failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

register();
// After tsx, so that it runs first: labs outside this folder import this propgrade (see the hook).
registerHooks('./resolve-propgrade.mjs', import.meta.url);
const { main } = await import('../src/cli/main.ts');
const { killChildren } = await import('../src/cli/children.ts');
// Whatever way the command ends, it leaves no process behind.
process.on('exit', killChildren);
process.exitCode = await main(process.argv.slice(2));
