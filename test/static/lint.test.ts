/** lintSource on small modules written inline: scope, policy, syntax errors, reach and the notebook values. */
import { describe, expect, test } from 'vitest';
import { CHECKS } from '../../src/static/checks/index.ts';
import { MODULE_RULES, RULES, lintSource, type TaskRules } from '../../src/static/index.ts';
import { noHardcodedExample } from '../../specs/rnn/example.ts';

const EXAMPLE_OUTPUTS = (noHardcodedExample.data as { outputs: Record<string, unknown> }).outputs;

const TASKS: TaskRules[] = [
  { id: 'forward_by_hand', exports: [{ name: 'forwardByHand' }], rules: [noHardcodedExample] },
  { id: 'automatic_diff', exports: [{ name: 'gradH11WrtU' }], rules: [{ rule: 'uses-backward' }] },
  { id: 'bptt_general', exports: [{ name: 'bpttGradU' }], rules: [{ rule: 'no-autograd' }] },
];
const IMPORT = "import { tensor, type Tensor } from 'propgrade/autograd';\n";

/** `line:column rule policy [tasks]` for each finding. */
const lint = (source: string, tasks: TaskRules[] = TASKS) =>
  lintSource('lab.ts', source, tasks).map((f) => `${f.line}:${f.column} ${f.rule} ${f.policy} [${f.tasks.join(' ')}]`);

describe('scope and policy', () => {
  test('a module-wide finding breaks every task; an export finding only its own', () => {
    const source = `${IMPORT}eval('1');\nexport function bpttGradU(U: Tensor) { return U.grad; }\n`;
    expect(lint(source)).toEqual([
      '2:1 no-escape-hatches fail [forward_by_hand automatic_diff bptt_general]',
      '3:49 no-autograd fail [bptt_general]',
    ]);
  });

  test("a task's policy overrides the rule's default, for module-wide and export rules alike", () => {
    const tasks: TaskRules[] = [
      { id: 'forward_by_hand', exports: [{ name: 'forwardByHand' }], rules: [{ rule: 'no-escape-hatches', policy: 'warn' }] },
      { id: 'bptt_general', exports: [{ name: 'bpttGradU' }], rules: [{ rule: 'no-autograd', policy: 'warn' }] },
    ];
    const source = `${IMPORT}eval('1');\nexport function bpttGradU(U: Tensor) { return U.grad; }\n`;
    expect(lint(source, tasks)).toEqual([
      '2:1 no-escape-hatches fail [bptt_general]',
      '2:1 no-escape-hatches warn [forward_by_hand]',
      '3:49 no-autograd warn [bptt_general]',
    ]);
  });

  test('a module-wide rule applies even with no task, and an export rule needs its export', () => {
    expect(lint(`${IMPORT}process.exit(0);\n`, [])).toEqual(['2:1 no-escape-hatches fail []']);
    expect(lint(`${IMPORT}export const other = 1;\n`)).toEqual([]);
  });

  test('a task naming an unknown rule is a grader error that says which', () => {
    const tasks: TaskRules[] = [{ id: 'bigram', exports: [{ name: 'sequenceProbability' }], rules: [{ rule: 'no-loops' }] }];
    expect(() => lintSource('lab.ts', IMPORT, tasks)).toThrow("task bigram: unknown static rule 'no-loops'");
  });

  test("the registry: every rule but the compiler's own (syntax, type-error) has a check, and the default set is module-wide", () => {
    expect(Object.keys(CHECKS).sort()).toEqual(Object.keys(RULES).filter((id) => id !== 'syntax' && id !== 'type-error').sort());
    for (const id of MODULE_RULES) expect(RULES[id].scope).toBe('module');
    for (const [id, rule] of Object.entries(RULES)) {
      expect(rule.fix, id).toMatch(/^[A-Z].*\.$/);
      expect(['fail', 'warn'], id).toContain(rule.policy);
    }
  });
});

describe('syntax errors', () => {
  test('are the only findings, at file:line:column, breaking every task', () => {
    const findings = lintSource('lab.ts', `${IMPORT}const b = ;\neval('1');\n`, TASKS);
    expect(findings).toEqual([
      {
        rule: 'syntax',
        policy: 'fail',
        tasks: ['forward_by_hand', 'automatic_diff', 'bptt_general'],
        file: 'lab.ts',
        line: 2,
        column: 11,
        message: 'Expression expected. Fix the syntax error: a module that does not parse cannot run.',
      },
    ]);
  });

  test.each([
    ['control characters', '\u0000\u0001 garbage ```', '1:1'],
    ['a merge conflict', '<<<<<<< HEAD\nexport const a = 1;\n=======\n', '1:1'],
    ['an unterminated template', 'export const s = `open ${', '1:26'],
  ])('%s: reported, never thrown', (_what, source, at) => {
    const first = lint(source)[0];
    expect(first).toBe(`${at} syntax fail [forward_by_hand automatic_diff bptt_general]`);
  });

  test('nesting deep enough to exhaust the parser is reported, and the next module is read as usual', () => {
    const deep = `export const a = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`;
    const [finding, ...rest] = lintSource('lab.ts', deep, TASKS);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ rule: 'syntax', policy: 'fail', line: 1, column: 1, tasks: TASKS.map((t) => t.id) });
    expect(finding!.message).toMatch(/^The module is nested too deeply to read/);
    expect(lint(`${IMPORT}eval('1');\n`)).toEqual(['2:1 no-escape-hatches fail [forward_by_hand automatic_diff bptt_general]']);
  });

  test('an empty module has nothing to report', () => {
    expect(lint('')).toEqual([]);
  });
});

describe('reach', () => {
  test('follows helpers through object methods and classes, and ignores code the export does not reach', () => {
    const source = `${IMPORT}export function unrelated() { return 0.29; }
const lab = { scale() { return 0.15; } };
class Steps { static last() { return 0.201; } }
export function forwardByHand() { return lab.scale() + Steps.last(); }
`;
    expect(lint(source)).toEqual(['3:32 no-hardcoded-example fail [forward_by_hand]', '4:38 no-hardcoded-example fail [forward_by_hand]']);
  });

  test('gradH11WrtU may reach backward and .grad through callbacks and methods', () => {
    const source = `${IMPORT}class Grad { of(root: Tensor, leaf: Tensor) { [root].forEach((r) => r.backward()); return leaf.grad!; } }
export const gradH11WrtU = (U: Tensor, V: Tensor, x1: Tensor, h0: Tensor) => {
  const u = tensor(U, { requiresGrad: true });
  return new Grad().of(u.mv(x1).add(V.mv(h0)).relu().at(0), u);
};
`;
    expect(lint(source)).toEqual([]);
  });

  test('casts and any-typed copies do not hide an engine member', () => {
    const source = `${IMPORT}export function bpttGradU(U: Tensor) {
  (U as any).backward();
  const copy: any = U;
  return (copy as { grad: Tensor }).grad.item() + copy['requiresGrad'];
}
`;
    expect(lint(source)).toEqual([
      '3:14 no-autograd fail [bptt_general]',
      '5:37 no-autograd fail [bptt_general]',
      '5:51 no-autograd fail [bptt_general]',
    ]);
  });

  test('untyped parameters: their members are judged by name', () => {
    const source = `// @ts-nocheck
import { clamp, mv } from 'propgrade/autograd';
export function gradH11WrtU(U, V, x1, h0) {
  U.requiresGrad = true;
  clamp(mv(U, x1).add(mv(V, h0)), { min: 0 }).at(0).backward();
  return U.grad;
}
export function bpttGradU(U, V, W, x, h0) {
  const { grad } = U;
  return U['backward'] ? 0 : grad;
}
`;
    expect(lint(source)).toEqual(['9:11 no-autograd fail [bptt_general]', '10:10 no-autograd fail [bptt_general]']);
  });

  test('calling backward without reading .grad is not enough', () => {
    const source = `${IMPORT}export function gradH11WrtU(U: Tensor, V: Tensor, x1: Tensor, h0: Tensor) {
  U.requiresGrad = true;
  U.mv(x1).add(V.mv(h0)).relu().at(0).backward();
  return U.mul(0);
}
`;
    expect(lint(source)).toEqual(['2:17 uses-backward fail [automatic_diff]']);
  });
});

describe('no-hardcoded-example', () => {
  test("the notebook's outputs, worked out by hand", () => {
    // h1 = relu(U x1) = relu([0.6, 0.1]); o1 = W h1 = [0.3 - 0.01, 0.12 + 0.03];
    // U x2 + V h1 = [-0.3 + 0.28, 0.2 + 0.47] -> h2 = [0, 0.67]; o2 = [-0.1 * 0.67, 0.3 * 0.67];
    // h1[0] = relu(U[0] . x1) with 0.6 > 0: its gradient wrt U is x1 in row 0.
    const expected = { h1: [0.6, 0.1], o1: [0.29, 0.15], h2: [0, 0.67], o2: [-0.067, 0.201], gradH11WrtU: [[0, 1], [0, 0]] };
    expect(Object.keys(EXAMPLE_OUTPUTS)).toEqual(Object.keys(expected));
    for (const [name, value] of Object.entries(expected)) {
      expect((EXAMPLE_OUTPUTS[name] as number[]).flat().map((v) => v.toFixed(12))).toEqual(value.flat().map((v) => v.toFixed(12)));
    }
  });

  test.each([
    ['0.29000000000000004', true], // o1[0] as float64 computes it
    ['0.28999999165534973', true], // o1[0] copied from a float32 printout
    ['-0.067', true],
    ["'0.67'", true],
    ['[[0.29], [0.15]]', true], // o1 as a column
    ['[0, 1, 0, 0]', true], // the gradient, flattened
    ['0.067', false], // not o2[0]: the sign differs
    ['0.6', false], // h1[0] is also U[0][1], an input
    ['[0, 1]', false], // x1 (also the gradient's first row)
    ['[[-0.3, 0.6], [0.2, 0.1]]', false], // U
    ['0.2901', false],
  ])('%s flagged: %s', (literal, flagged) => {
    const findings = lint(`${IMPORT}export function forwardByHand() { return ${literal}; }\n`);
    expect(findings).toEqual(flagged ? ['2:42 no-hardcoded-example fail [forward_by_hand]'] : []);
  });
});

describe('no-escape-hatches', () => {
  test.each([
    ['a parameter named process', 'export function f(process: number) { return process; }'],
    ['a harmless member of globalThis', 'export const m = globalThis.Math.max(1, 2);'],
    ['a dictionary with a computed key', "const counts: Record<string, number> = {};\nexport const c = counts['a' + 'b'];"],
    ['an array with a numeric index', 'const xs = [1, 2];\nexport const x = (i: number) => xs[i];'],
    ['setting requiresGrad on a leaf', 'export const t = tensor(1);\nt.requiresGrad = true;'],
    ['a Function type annotation', 'export const call = (f: Function) => typeof f;'],
    ['a key typed by keyof', 'const out = { h1: 1, o1: 2 };\nexport const pick = (k: keyof typeof out) => out[k];'],
  ])('%s is fine', (_what, code) => {
    expect(lint(`${IMPORT}${code}\n`)).toEqual([]);
  });

  test.each([
    ['(0, eval)', 'export const e = (0, eval);'],
    ['a member name built from strings', "export const c = Math['con' + 'structor'];"],
    ['globalThis passed around', 'export const g = globalThis;'],
    ['window.eval', 'export const e = (window as any).eval;'],
    ['self with a computed name', "export const e = (self as any)['ev' + 'al'];"],
    ['Reflect', "export const r = Reflect.get({}, 'a');"],
    ['Proxy', 'export const p = new Proxy({}, {});'],
    ['__proto__', 'export const p = ({} as any).__proto__;'],
    ['a constructor by destructuring', 'export const { constructor: C } = [];'],
    ['a constructor among a union of keys', "export const pick = (k: 'constructor' | 'length') => [][k];"],
  ])('%s is caught', (_what, code) => {
    const findings = lintSource('lab.ts', `${IMPORT}${code}\n`, TASKS).map((f) => `${f.line} ${f.rule} ${f.tasks.length}`);
    expect(findings).toEqual([`2 no-escape-hatches ${TASKS.length}`]);
  });
});
