/** The options several commands share, each declared once (see command.ts). */
import { UsageError } from './args.ts';
import type { OptionSpec } from './command.ts';
import { LAYERS, unknownLayers } from '../sandbox/layers.ts';

/** A whole number, at least `min`. */
export const wholeNumber = (min = Number.MIN_SAFE_INTEGER) => (text: string, name: string): number => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n)) throw new UsageError(`--${name} takes a whole number, got '${text}'`);
  if (n < min) throw new UsageError(`--${name} takes a whole number of at least ${min}, got '${text}'`);
  return n;
};

export const lab: OptionSpec = { type: 'string', value: 'DIR', description: "the lab (default: the course config's, else the bundled RNN lab, specs/rnn)" };

export const seed: OptionSpec<number> = {
  type: 'string',
  value: 'N',
  description: 'the seed: the same seed gives the same cases',
  parse: wholeNumber(),
};

export const runs: OptionSpec<number> = {
  type: 'string',
  value: 'N',
  description: "cases per generated property (default: the course config's, else each property's own)",
  parse: wholeNumber(1),
};

export const json: OptionSpec = { type: 'boolean', description: 'print the result as JSON (for scripts)' };

/** `--out DIR` (or FILE), with the command's own default in its description. */
export const out = (what: string, value = 'DIR'): OptionSpec => ({ type: 'string', value, description: what });

/** `--require-layers a,b`: sandbox layers grading may not run without (src/sandbox/layers.ts). */
export const requireLayers: OptionSpec<string[]> = {
  type: 'string',
  value: 'LAYER,...',
  description: `grade only inside these sandbox layers, else exit 3 not graded (default: the config's requireLayers; known: ${LAYERS.join(', ')})`,
  parse: (text, name) => {
    const names = text.split(',').map((layer) => layer.trim()).filter(Boolean);
    const unknown = unknownLayers(names);
    if (unknown.length > 0) throw new UsageError(`--${name}: unknown layer(s) ${unknown.join(', ')} (known: ${LAYERS.join(', ')})`);
    return names;
  },
};
