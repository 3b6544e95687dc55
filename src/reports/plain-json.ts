/** Plain data (src/sandbox/protocol.ts) as JSON: tensors keep their shape, non-finite numbers survive. */
import { isPlainTensor, type Plain } from '../sandbox/protocol.ts';

export type Json = number | boolean | string | null | Json[] | { [key: string]: Json };

/** `NaN` and the infinities become strings: JSON.stringify would turn them into a misleading `null`. */
export function plainToJson(value: Plain): Json {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (isPlainTensor(value)) return { shape: [...value.shape], data: Array.from(value.data, (x) => plainToJson(x)) };
  if (Array.isArray(value)) return value.map(plainToJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, plainToJson(v)]));
  }
  return value;
}

/** One cut for every report (src/model/text.ts). */
export { truncate } from '../model/text.ts';
