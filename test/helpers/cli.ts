/** The command line as a user runs it: a child process from the project root; exit code and output. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` is added to this process's environment. */
export const propgrade = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> => propgradeIn(ROOT, args, env);

/** The command line run from another working folder (a course's, a student's kit). */
export function propgradeIn(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/propgrade.js'), ...args], { cwd, maxBuffer: 64 << 20, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}
