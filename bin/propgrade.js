#!/usr/bin/env node
// The command line runs from TypeScript source through tsx: no build step can go stale.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
