/**
 * The processes a command started and that still run when it exits: the esbuild services (tsx's and
 * the bundler's), which end on their own only a moment after this process, when their pipe closes.
 * `bin/propgrade.js` ends them on exit so that a command leaves no process behind (the sandboxed
 * children, in groups of their own, are ended by src/sandbox/process.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';

export function killChildren(): void {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return; // no /proc: nothing to look at
  }
  for (const task of tasks) {
    let children: string;
    try {
      children = readFileSync(`/proc/self/task/${task}/children`, 'latin1').trim();
    } catch {
      continue;
    }
    for (const pid of children.split(' ').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
