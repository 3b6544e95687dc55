#!/usr/bin/env node
// The command line runs from TypeScript source through tsx: no build step can go stale.
import { register } from 'tsx/esm/api';

// `propgrade ... | head` closes the pipe early: that is the reader's choice, not a grader failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
