/** `propgrade lint`: findings as file:line:column  rule  message, a summary line, exit 1 on a fail. */
import { afterEach, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

afterEach(() => vi.restoreAllMocks());

async function lint(...argv: string[]): Promise<{ code: number; lines: string[]; errors: string }> {
  const printed: string[] = [];
  const errors: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(...text.split('\n')));
  vi.spyOn(console, 'error').mockImplementation((text: string) => void errors.push(text));
  const code = await main(['lint', ...argv]);
  return { code, lines: printed, errors: errors.join('\n') };
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
  expect(await lint('fixtures/nowhere')).toMatchObject({ code: 2, lines: [], errors: "propgrade lint: The submission 'fixtures/nowhere' does not exist." });
  expect(await lint('fixtures/evasions')).toMatchObject({ code: 2, errors: expect.stringMatching(/There is no lab\.ts in 'fixtures\/evasions'/) });
  expect(await lint()).toMatchObject({ code: 2, errors: expect.stringMatching(/name one submission\nusage: propgrade lint <submission> \[--lab DIR\] \[--json\]/) });
});

test('--help lists every rule with its default policy', async () => {
  const { code, lines } = await lint('--help');
  expect(code).toBe(0);
  expect(lines.filter((l) => /^ {2}[a-z-]+ {2,}(fail|warn) {2}/.test(l))).toHaveLength(8);
});

test('--json prints the findings and the broken tasks for scripts, with the same exit code', async () => {
  const { code, lines } = await lint('fixtures/evasions/hand-built-gradient.ts', '--json');
  expect(code).toBe(1);
  const parsed = JSON.parse(lines.join('\n')) as { findings: { rule: string; line: number }[]; broken: string[] };
  expect(parsed.broken).toEqual(['automatic_diff']);
  expect(parsed.findings.map((f) => [f.rule, f.line])).toEqual([['uses-backward', 4]]);
});
