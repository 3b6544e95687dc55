/**
 * An export's signature, declared once in the lab and read everywhere else: the order in which
 * specs pass arguments, the names graphs give them, the stubs of a template, the types a
 * submission is checked against, the small cases harden probes with, and the checks the grader
 * makes of the result (a gradient must be the `.grad` that backward() filled).
 *
 *   export const forward = fn('forward', {
 *     params: { input: tensor('N', 'dim'), dim: size('dim'), U: tensor('dim', 'dim'), V: tensor('dim', 'dim'), W: tensor('dim', 'dim') },
 *     returns: tensor('N', 'dim'),
 *   });
 *   await forward.call(lab, { input, dim, U, V, W });
 *
 * Dimensions are sizes (`2`) or symbols shared between parameters (`'N'`, `'dim'`), optionally
 * offset (`'N+1'`); a symbol is the same size wherever it appears in one call.
 */
import type { LabClient, Plain } from '../sandbox/protocol.ts';
import { Mismatch } from './expect.ts';
import type { CheckContext } from './types.ts';

export type Dim = number | string;

/** What values a tensor parameter holds (harden's small cases draw from it). */
export type Domain = 'grid' | 'one-hot' | 'stochastic' | 'mask' | 'causal-mask';

export type ParamType = (
  | { kind: 'tensor'; dims: Dim[]; domain: Domain }
  /** An integer equal to the size of a dimension symbol (`forward(input, dim, ...)`). */
  | { kind: 'size'; dim: string }
  /** An integer in [0, size of the symbol). */
  | { kind: 'index'; dim: string }
  | { kind: 'number' }
) & {
  /** The argument may be left out (`attention(Q, K, V, mask?)`). */
  optional?: boolean;
};

export type ResultType =
  | { kind: 'tensor'; dims: Dim[] }
  /** A number, or a one-element tensor of shape [] or [1] (CONTRACT section 3). */
  | { kind: 'scalar' }
  | { kind: 'record'; fields: Record<string, ResultType> }
  /** The `.grad` of parameter `of` (or of a leaf copy of it), filled by backward() during the call. */
  | { kind: 'gradient'; of: string }
  /** Anything: the export is run by one of the lab's drivers. */
  | { kind: 'any'; type: string };

export interface FunctionSignature<P extends string = string> {
  kind: 'function';
  name: string;
  params: Record<P, ParamType>;
  returns: ResultType;
  doc?: string;
}

/** An export that is a value (an object, a model) run by a driver rather than called. */
export interface ValueSignature {
  kind: 'value';
  name: string;
  /** Its TypeScript type, as the template declares it. */
  type: string;
  doc?: string;
}

export type Signature = FunctionSignature | ValueSignature;

/** A call's arguments by parameter name (a case may hold more fields; a missing required one is an error). */
export type ArgsOf<P extends string> = { readonly [K in P]?: Plain };

/** A function export: its signature and the calls specs make through it. */
export interface ExportFn<P extends string = string> extends FunctionSignature<P> {
  readonly paramNames: P[];
  /** The arguments in the declared order, taken by name from `values` (other fields are ignored). */
  args(values: ArgsOf<P>): Plain[];
  /** The student's (or any lab module's) answer. A gradient result is checked to come from backward(). */
  call(lab: LabClient, values: ArgsOf<P>): Promise<Plain>;
  /** The reference's answer (cross-checked by the oracle on the first cases). */
  expected(ctx: CheckContext, values: ArgsOf<P>): Promise<Plain>;
}

export interface ExportValue extends ValueSignature {
  /** Runs the lab's driver `driver` on this export. */
  drive(lab: LabClient, driver: string, ...args: Plain[]): Promise<Plain>;
}

export type Export = ExportFn | ExportValue;

/** The TypeScript type of a parameter or result, as a template writes it. */
export function typeText(type: ParamType | ResultType): string {
  switch (type.kind) {
    case 'tensor':
    case 'gradient':
      return 'Tensor';
    case 'size':
    case 'index':
    case 'number':
      return 'number';
    case 'scalar':
      return 'Tensor | number';
    case 'record':
      return `{ ${Object.entries(type.fields).map(([name, t]) => `${name}: ${typeText(t)}`).join('; ')} }`;
    case 'any':
      return type.type;
  }
}

/** The export's type as TypeScript writes it: `(input: Tensor, dim: number, ...) => Tensor`, or a value's declared type. */
export function declaredType(signature: Signature): string {
  if (signature.kind === 'value') return signature.type;
  const params = Object.entries<ParamType>(signature.params).map(([name, t]) => `${name}${t.optional ? '?' : ''}: ${typeText(t)}`);
  return `(${params.join(', ')}) => ${typeText(signature.returns)}`;
}

/** The declaration a template gives the export: `export function forward(input: Tensor, ...): Tensor`. */
export function declaration(signature: Signature): string {
  if (signature.kind === 'value') return `export const ${signature.name}: ${signature.type}`;
  const params = Object.entries<ParamType>(signature.params).map(([name, t]) => `${name}${t.optional ? '?' : ''}: ${typeText(t)}`);
  return `export function ${signature.name}(${params.join(', ')}): ${typeText(signature.returns)}`;
}

// ---- the exports ------------------------------------------------------------------------------

/** A function export. */
export function fn<P extends string>(name: string, spec: { params: Record<P, ParamType>; returns: ResultType; doc?: string }): ExportFn<P> {
  const paramNames = Object.keys(spec.params) as P[];
  // An index points into a tensor argument; a size may also be one the result has (`previousTokenHead(n)` -> [n, d]).
  const paramDims = dimSymbols(spec.params);
  const resultDims = resultSymbols(spec.returns);
  for (const type of Object.values<ParamType>(spec.params)) {
    if (type.kind === 'index' && !paramDims.has(type.dim)) throw new Error(`fn('${name}'): index('${type.dim}') names no dimension of a tensor parameter`);
    if (type.kind === 'size' && !paramDims.has(type.dim) && !resultDims.has(type.dim)) {
      throw new Error(`fn('${name}'): size('${type.dim}') names no dimension of a tensor parameter or of the result`);
    }
  }
  const gradientOf = spec.returns.kind === 'gradient' ? spec.returns.of : undefined;
  if (gradientOf !== undefined && !paramNames.includes(gradientOf as P)) throw new Error(`fn('${name}'): gradient('${gradientOf}') is not a parameter`);
  // Trailing optional arguments the case leaves out are not passed at all (the function sees undefined).
  const args = (values: ArgsOf<P>) => {
    const given = paramNames.map((p) => {
      if (!(p in values) || values[p] === undefined) {
        if (spec.params[p].optional) return undefined;
        throw new Error(`${name}: the case has no '${p}' (parameters: ${paramNames.join(', ')})`);
      }
      return values[p];
    });
    while (given.length > 0 && given[given.length - 1] === undefined) given.pop();
    if (given.includes(undefined)) throw new Error(`${name}: an optional argument is left out before a given one`);
    return given as Plain[];
  };
  return {
    kind: 'function',
    name,
    ...spec,
    paramNames,
    args,
    async call(lab, values) {
      if (gradientOf === undefined) return lab.call(name, ...args(values));
      const { value, trace } = await lab.traced(name, args(values));
      checkGradientProvenance(name, gradientOf, paramNames.indexOf(gradientOf as P), args(values), trace);
      return value;
    },
    expected: (ctx, values) => ctx.expected(name, ...args(values)),
  };
}

/** A value export, run by the lab's drivers. */
export function value(name: string, spec: { type: string; doc?: string }): ExportValue {
  return { kind: 'value', name, ...spec, drive: (lab, driver, ...args) => lab.drive(driver, name, ...args) };
}

/** Every dimension symbol the tensor parameters name (`'N+1'` names `N`). */
export function dimSymbols(params: Record<string, ParamType>): Set<string> {
  const symbols = new Set<string>();
  for (const type of Object.values(params)) if (type.kind === 'tensor') for (const d of type.dims) if (typeof d === 'string') symbols.add(parseDim(d).symbol);
  return symbols;
}

/** Every dimension symbol the result's tensors name, fields of a record included. */
export function resultSymbols(type: ResultType): Set<string> {
  const symbols = new Set<string>();
  const visit = (t: ResultType): void => {
    if (t.kind === 'tensor') for (const d of t.dims) if (typeof d === 'string') symbols.add(parseDim(d).symbol);
    if (t.kind === 'record') Object.values(t.fields).forEach(visit);
  };
  visit(type);
  return symbols;
}

/** `'N+1'` as symbol N plus 1; `'dim'` as dim plus 0. */
export function parseDim(dim: string): { symbol: string; offset: number } {
  const match = /^([A-Za-z_]\w*)\s*(?:([+-])\s*(\d+))?$/.exec(dim);
  if (!match) throw new Error(`a dimension is a size or a symbol with an optional offset ('N', 'N+1'), got '${dim}'`);
  return { symbol: match[1]!, offset: match[3] === undefined ? 0 : (match[2] === '-' ? -1 : 1) * Number(match[3]) };
}

// ---- the gradient's provenance --------------------------------------------------------------------

interface TraceView {
  nodes: Array<{ leaf?: { data: Float64Array }; arg?: number }>;
  backwards: Array<{ leaves: number[] }>;
  results: Array<{ path: string; node: number; gradOf?: number }>;
}

/**
 * The result of a gradient export must be the `.grad` of a leaf that a backward() of the call
 * reached, and that leaf must be the argument `of` itself or a copy of its values: a gradient
 * written by hand, or the `.grad` of some throwaway tensor, is refused whatever its values.
 */
export function checkGradientProvenance(exportName: string, of: string, argIndex: number, args: Plain[], trace: Plain): void {
  const must = `${exportName} must return ${of}.grad, filled by backward() on a result computed from ${of}`;
  let why: string | undefined;
  try {
    // The trace comes from the student's process: read it defensively, a malformed one proves nothing.
    const view = trace as unknown as TraceView;
    const result = view.results.find((r) => r.path === '');
    if (!result) why = 'it returned no tensor';
    else if (result.gradOf === undefined) why = 'the tensor it returned was not filled by backward()';
    else {
      const leaf = view.nodes[result.gradOf]!;
      const given = (args[argIndex] as { data: Float64Array }).data;
      const sameValues = leaf.leaf !== undefined && leaf.leaf.data.length === given.length && leaf.leaf.data.every((x, i) => Object.is(x, given[i]));
      const reached = view.backwards.some((b) => b.leaves.includes(result.gradOf!));
      if (!reached || !(leaf.arg === argIndex || sameValues)) why = `it returned the .grad of a tensor other than ${of}`;
    }
  } catch {
    why = 'its computation could not be read back';
  }
  if (why !== undefined) throw new Mismatch(`${must}: ${why}.`);
}
