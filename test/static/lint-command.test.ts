/** `propgrade lint`: findings as file:line:column  rule  message, a summary line, exit 1 on a fail. */
import { afterEach, expect, test, vi } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { run } from '../../src/cli/commands/lint.ts';

afterEach(() => vi.restoreAllMocks());

async function lint(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(...text.split('\n')));
  const code = await run(argv);
  return { code, lines: printed };
}

test('a module with a failing finding: the finding, the summary, exit 1', async () => {
  const { code, lines } = await lint('fixtures/evasions/hand-built-gradient.ts');
  expect(code).toBe(1);
  expect(lines).toContain(
    'fixtures/evasions/hand-built-gradient.ts:4:17  uses-backward  gradH11WrtU neither calls backward() nor reads .grad on an engine tensor, ' +
      'directly or through its helpers. Build h1 from U with requiresGrad set, call backward() on h1[0] and return U.grad. [automatic_diff]',
  );
  expect(lines.at(-1)).toBe('fixtures/evasions/hand-built-gradient.ts: 1 fail, 0 warn; tasks broken: automatic_diff');
});

test('a module-wide finding names no task: it breaks them all', async () => {
  const { code, lines } = await lint('fixtures/evasions/process-exit.ts');
  expect(code).toBe(1);
  expect(lines.filter((l) => l.startsWith('fixtures/'))[0]).toMatch(/^fixtures\/evasions\/process-exit\.ts:6:26 {2}no-escape-hatches {2}`process` .*\.$/);
});

test('a submission folder is read through its lab.ts; no finding exits 0', async () => {
  const { code, lines } = await lint('specs/rnn/corpus/correct-loops');
  expect({ code, lines }).toEqual({ code: 0, lines: ['specs/rnn/corpus/correct-loops/lab.ts: no findings'] });
});

test('a missing submission, or a folder without lab.ts, is a usage error that says so', async () => {
  await expect(lint('fixtures/nowhere')).rejects.toThrow(new UsageError("propgrade lint: The submission 'fixtures/nowhere' does not exist."));
  await expect(lint('fixtures/evasions')).rejects.toThrow(/There is no lab\.ts in 'fixtures\/evasions'/);
  await expect(lint()).rejects.toThrow(/name one submission/);
});

test('--help lists every rule with its default policy', async () => {
  const { code, lines } = await lint('--help');
  expect(code).toBe(0);
  expect(lines.filter((l) => /^ {2}[a-z-]+ {2,}(fail|warn) {2}/.test(l))).toHaveLength(7);
});
