/**
 * The static rules as data: what each one checks, the sentence that tells the student what to
 * change, how it scores by default, and where it looks. Specs switch rules on per task by id
 * (`RuleUse` in src/spec/types.ts); the checks themselves live in ./checks. No ts-morph here, so
 * reports and specs can read the registry cheaply.
 */
export type Policy = 'fail' | 'warn';

/**
 * `module`: the whole file; a finding breaks every task.
 * `export`: each export of the task and every helper it reaches; a finding breaks that task.
 */
export type Scope = 'module' | 'export';

export interface RuleInfo {
  id: string;
  description: string;
  /** What the student should change, one sentence. */
  fix: string;
  policy: Policy;
  scope: Scope;
}

export const RULES = {
  syntax: {
    description: 'The module parses as TypeScript.',
    fix: 'Fix the syntax error: a module that does not parse cannot run.',
    policy: 'fail',
    scope: 'module',
  },
  'imports-only-engine': {
    description: "Values are imported from 'propgrade/autograd' only (an `import type` from elsewhere is harmless).",
    fix: "Import only from 'propgrade/autograd' and keep every helper inside the submitted file.",
    policy: 'fail',
    scope: 'module',
  },
  'no-escape-hatches': {
    description: 'No eval, Function, require, import(), process, Reflect, Proxy, global objects or engine internals.',
    fix: 'Compute with the engine and plain TypeScript only; the grader runs nothing else.',
    policy: 'fail',
    scope: 'module',
  },
  'no-prototype-patching': {
    description: "Nothing assigns to a prototype or to the engine's exports, namespace or methods.",
    fix: 'Leave built-in prototypes and the engine as they are; write a helper function instead.',
    policy: 'fail',
    scope: 'module',
  },
  'type-error': {
    description: "TypeScript's type checker accepts the module, and each export fits the type the lab declares for it (parameters in order, return type).",
    fix: "Fix the types TypeScript names here; give each export the parameters, in order, and the return type the lab's template declares.",
    policy: 'warn',
    scope: 'module',
  },
  'uses-backward': {
    description: 'The export gets its gradient from backward() and .grad on an engine tensor, directly or through its helpers.',
    fix: 'Compute the result from the arguments with requiresGrad set, call backward() and return the .grad of the tensor it differentiates with respect to.',
    policy: 'fail',
    scope: 'export',
  },
  'no-autograd': {
    description: 'The export and every helper it reaches use no autograd: backward, .grad, requiresGrad, noGrad, gradcheck, defineOp.',
    fix: 'Derive the gradient by hand (backpropagation through time) with plain arithmetic or forward ops only.',
    policy: 'fail',
    scope: 'export',
  },
  'no-hardcoded-example': {
    description: "No literal reproduces an output of the lab's example (the outputs its rule use lists; its inputs may be copied).",
    fix: "Compute the result from the arguments instead of writing the example's answer.",
    policy: 'fail',
    scope: 'export',
  },
} as const satisfies Record<string, Omit<RuleInfo, 'id'>>;

export type RuleId = keyof typeof RULES;

/** The shared default set: applied to every task, whatever its spec lists. */
export const MODULE_RULES = ['imports-only-engine', 'no-escape-hatches', 'no-prototype-patching'] as const satisfies readonly RuleId[];

export const isRuleId = (id: string): id is RuleId => Object.hasOwn(RULES, id);

export function ruleInfo(id: RuleId): RuleInfo {
  return { id, ...RULES[id] };
}
