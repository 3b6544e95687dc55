/**
 * Phases of a run on Node's performance timeline, `propgrade:<name>` measures: the start-up profile
 * of `propgrade bench` (bench/profile.ts) reads them from a fresh process. Nothing else reads them,
 * and a measure costs about a microsecond.
 */
export const PHASE_PREFIX = 'propgrade:';

/** Runs `work` as the phase `name` (phases may overlap: the sandbox starts while the static checks run). */
export async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    performance.measure(PHASE_PREFIX + name, { start, end: performance.now() });
  }
}

/** Forgets the phases measured so far: a process that grades many submissions keeps none of them. */
export const clearPhases = () => performance.clearMeasures();
