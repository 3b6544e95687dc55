/** Each rule's check, by rule id (the registry of what they mean is ../rules.ts). */
import type { RuleId } from '../rules.ts';
import { noAutograd, usesBackward } from './autograd.ts';
import type { Check } from './check.ts';
import { noEscapeHatches } from './escape-hatches.ts';
import { noHardcodedExample } from './hardcoded.ts';
import { importsOnlyEngine } from './imports.ts';
import { noPrototypePatching } from './prototype-patching.ts';

export type { Check, Hit, Region } from './check.ts';

/** `syntax` and `type-error` are the compiler's own diagnostics (Lab.syntaxProblems, Lab.typeProblems). */
export const CHECKS: Record<Exclude<RuleId, 'syntax' | 'type-error'>, Check> = {
  'imports-only-engine': importsOnlyEngine,
  'no-escape-hatches': noEscapeHatches,
  'no-prototype-patching': noPrototypePatching,
  'uses-backward': usesBackward,
  'no-autograd': noAutograd,
  'no-hardcoded-example': noHardcodedExample,
};
