/**
 * The seed of a grading run. `--seed N` pins it; without it the seed is an HMAC of a course secret and
 * the submission's bytes: resubmitting the same code replays the same cases (no fishing for a lucky
 * draw), changing the code draws new ones (the hidden cases are no fixed set to learn), and staff,
 * who hold the secret, find the seed in the staff output and can replay any run.
 *
 * The secret comes from `PROPGRADE_SECRET`, else from `.propgrade-secret` at the project root, which
 * is created with 32 random bytes on first use (mode 0600, git-ignored). The sandboxed student process
 * can read neither: it sees an empty environment and only its own build folder.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.ts';

export const SECRET_FILE = fileURLToPath(new URL('../../.propgrade-secret', import.meta.url));

/**
 * The course secret: the environment variable the course config names (default `PROPGRADE_SECRET`),
 * else its secret file (default `.propgrade-secret` beside the grader), created when absent.
 */
export function gradingSecret(
  file = loadConfig().settings.secret.file ?? SECRET_FILE,
  env: NodeJS.ProcessEnv = process.env,
  variable = loadConfig().settings.secret.env,
): string {
  if (env[variable]) return env[variable]!;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    // 'wx': two graders starting at once must not overwrite each other's secret.
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

/** A 31-bit seed (fast-check takes any 32-bit integer; positive keeps replay commands plain). */
export function hmacSeed(secret: string, content: string | Uint8Array): number {
  const digest = createHmac('sha256', secret).update(content).digest();
  return digest.readUInt32BE(0) & 0x7fffffff;
}
