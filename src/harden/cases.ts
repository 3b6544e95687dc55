/**
 * Small cases for the equivalence search, drawn from an export's declared signature alone: every
 * dimension symbol a size from 1 to 3, tensors by their domain (values on a dyadic grid with 0,
 * one-hot rows, stochastic tables, 0/1 masks with a 1 in every row), sizes and indices that fit, an
 * optional argument given half the time. Besides plain grid values, a share of the cases holds ties
 * (every entry of a tensor equal), zeros, or grid values times 32 or 1024 (large enough that an
 * overflow, exp beyond 709, or a weak penalty shows). The draw is seeded by the export's name: the same cases on every run.
 */
import type { ExportProbes, Probe } from '../spec/mutants.ts';
import { parseDim, type Dim, type ExportFn, type ParamType } from '../spec/signature.ts';
import type { Plain } from '../sandbox/protocol.ts';
import { plainOf, sizeOf } from '../spec/plain.ts';

export const GENERATED_CASES = 300;
const GRID = [-1, -0.5, 0, 0.5, 1];
const MAX_SIZE = 3;
/** Grid values times these. */
const SCALES = { grid: 1, large: 32, huge: 1024 };

type Kind = keyof typeof SCALES | 'ties' | 'zeros';
/** One kind per case, in turn: grid values half the time. */
const KINDS: Kind[] = ['grid', 'grid', 'ties', 'grid', 'large', 'grid', 'zeros', 'grid', 'huge', 'large'];

/** mulberry32: a small seeded generator, so that the cases are the same on every run. */
function random(seed: number): (below: number) => number {
  let a = seed >>> 0;
  return (below) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

const hash = (text: string) => [...text].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261);

/** The cases of `signature`, or undefined when its result is not data (a driver runs it). */
export function signatureProbes(signature: ExportFn, count = GENERATED_CASES): ExportProbes | undefined {
  if (signature.returns.kind === 'any') return undefined;
  const params = Object.values<ParamType>(signature.params);
  const symbols = [...new Set([...params.flatMap(paramSymbols), ...resultSymbolsOf(signature)])];
  return {
    covers: `${count} cases drawn from its signature (every size 1 to ${MAX_SIZE}; values on {-1, -1/2, 0, 1/2, 1}, with ties, zeros and values times ${SCALES.large} and ${SCALES.huge})`,
    *cases(): Iterable<Probe> {
      const pick = random(hash(signature.name));
      for (let k = 0; k < count; k++) {
        // The first cases pin every size at 1, then at 2; the rest draw each size.
        const sizes = new Map(symbols.map((s) => [s, k < 2 ? k + 1 : 1 + pick(MAX_SIZE)]));
        const kind = KINDS[k % KINDS.length]!;
        const args: (Plain | undefined)[] = params.map((type) => (type.optional && pick(2) === 0 ? undefined : argument(type, sizes, kind, pick)));
        while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
        if (args.includes(undefined)) continue; // an optional left out before a given one: not a call anyone makes
        yield { args: args as Plain[] };
      }
    },
  };
}

function paramSymbols(type: ParamType): string[] {
  if (type.kind === 'tensor') return type.dims.filter((d): d is string => typeof d === 'string').map((d) => parseDim(d).symbol);
  return type.kind === 'size' || type.kind === 'index' ? [type.dim] : [];
}

function resultSymbolsOf(signature: ExportFn): string[] {
  const found: string[] = [];
  const visit = (t: ExportFn['returns']): void => {
    if (t.kind === 'tensor') found.push(...t.dims.filter((d): d is string => typeof d === 'string').map((d) => parseDim(d).symbol));
    if (t.kind === 'record') Object.values(t.fields).forEach(visit);
  };
  visit(signature.returns);
  return found;
}

const sizeOfDim = (dim: Dim, sizes: Map<string, number>) => {
  if (typeof dim === 'number') return dim;
  const { symbol, offset } = parseDim(dim);
  return Math.max(1, sizes.get(symbol)! + offset);
};

function argument(type: ParamType, sizes: Map<string, number>, kind: Kind, pick: (below: number) => number): Plain {
  switch (type.kind) {
    case 'size':
      return sizes.get(type.dim)!;
    case 'index':
      return pick(sizes.get(type.dim)!);
    case 'number':
      return GRID[pick(GRID.length)]!;
    case 'tensor': {
      const shape = type.dims.map((d) => sizeOfDim(d, sizes));
      const [rows, cols] = shape.length === 1 ? [1, shape[0]!] : [shape[0] ?? 1, shape[1] ?? 1];
      const rowsOf = (row: () => number[]) => plainOf(shape, Array.from({ length: rows }, row).flat());
      switch (type.domain) {
        case 'one-hot':
          return rowsOf(() => oneHot(cols, pick(cols)));
        case 'stochastic':
          return rowsOf(() => {
            const weights = Array.from({ length: cols }, () => pick(4));
            if (!weights.some((w) => w > 0)) weights[pick(cols)] = 1;
            const total = weights.reduce((a, b) => a + b, 0);
            return weights.map((w) => w / total);
          });
        case 'mask':
          return rowsOf(() => {
            const row = Array.from({ length: cols }, () => pick(2));
            if (!row.includes(1)) row[pick(cols)] = 1;
            return row;
          });
        case 'causal-mask':
          return plainOf(shape, Array.from({ length: rows * cols }, (_, i) => (i % cols <= Math.floor(i / cols) ? 1 : 0)));
        case 'grid': {
          const tie = GRID[pick(GRID.length)]!;
          const value = () => (kind === 'zeros' ? 0 : kind === 'ties' ? tie : GRID[pick(GRID.length)]! * SCALES[kind]);
          return plainOf(shape, Array.from({ length: sizeOf(shape) }, value));
        }
      }
    }
  }
}

const oneHot = (width: number, at: number) => Array.from({ length: width }, (_, i) => (i === at ? 1 : 0));
