import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { gradingSecret, hmacSeed } from '../../src/grading/seed.ts';
import { tempDir } from '../helpers/temp.ts';

test('the seed is the first 31 bits of HMAC-SHA256(secret, content)', () => {
  // Wikipedia's HMAC-SHA256 example: f7bc83f4 30538424..., top bit dropped: 0x77bc83f4.
  expect(hmacSeed('key', 'The quick brown fox jumps over the lazy dog')).toBe(0x77bc83f4);
});

test('the same code gives the same seed, other code or another secret another', () => {
  const code = 'export const forward = () => 1;\n';
  expect(hmacSeed('s', code)).toBe(hmacSeed('s', Buffer.from(code)));
  expect(hmacSeed('s', code + ' ')).not.toBe(hmacSeed('s', code));
  expect(hmacSeed('t', code)).not.toBe(hmacSeed('s', code));
});

test('the secret comes from PROPGRADE_SECRET, else from a private file made once', async () => {
  const file = join(await tempDir('secret'), '.propgrade-secret');
  expect(gradingSecret(file, { PROPGRADE_SECRET: 'from-env' })).toBe('from-env');
  const made = gradingSecret(file, {});
  expect(made).toMatch(/^[0-9a-f]{64}$/);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect(gradingSecret(file, {})).toBe(made);
  expect((await readFile(file, 'utf8')).trim()).toBe(made);
});
