/**
 * The parameter and result types of export signatures, used as `t.tensor('N', 'dim')`,
 * `t.size('dim')`, `t.gradient('U')` (see signature.ts).
 */
import type { Dim, ParamType, ResultType } from './signature.ts';

export const tensor = (...dims: Dim[]): ParamType & ResultType & { kind: 'tensor' } => ({ kind: 'tensor', dims, domain: 'grid' });
/** One-hot rows: `[N, V]`, each row a single 1. */
export const oneHot = (rows: Dim, width: Dim): ParamType => ({ kind: 'tensor', dims: [rows, width], domain: 'one-hot' });
/** A row-stochastic `[V, V]` table: non-negative rows that sum to 1. */
export const stochastic = (size: Dim): ParamType => ({ kind: 'tensor', dims: [size, size], domain: 'stochastic' });
/** A 0/1 mask `[n, m]` with at least one 1 in every row. */
export const mask = (rows: Dim, cols: Dim): ParamType => ({ kind: 'tensor', dims: [rows, cols], domain: 'mask' });
export const size = (dim: string): ParamType => ({ kind: 'size', dim });
export const index = (dim: string): ParamType => ({ kind: 'index', dim });
export const number = (): ParamType => ({ kind: 'number' });
export const scalar = (): ResultType => ({ kind: 'scalar' });
export const record = (fields: Record<string, ResultType>): ResultType => ({ kind: 'record', fields });
export const gradient = (of: string): ResultType => ({ kind: 'gradient', of });

/** The argument may be left out. */
export const optional = (type: ParamType): ParamType => ({ ...type, optional: true });
