/**
 * One seed a property: derived from the grading seed and the property's name, so adding, removing
 * or reordering properties never changes the cases another property sees.
 */
import { createHash } from 'node:crypto';

/** A non-negative 31-bit integer (a valid fast-check seed) from `base`, the task and the property. */
export function deriveSeed(base: number, taskId: string, propertyId: string): number {
  const digest = createHash('sha256').update(`${base}\u0000${taskId}\u0000${propertyId}`).digest();
  return digest.readUInt32BE(0) >>> 1;
}
