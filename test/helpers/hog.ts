/** Work that never ends or never stops allocating: what a budget (src/sandbox/budget.ts) must stop. */
export function spin(): never {
  for (;;);
}

export function hoard(): never {
  const kept: number[][] = [];
  for (;;) kept.push(Array.from({ length: 1 << 16 }, (_, i) => i));
}

export function fail(): never {
  throw new Error('an ordinary failure');
}

export const twice = (n: number) => 2 * n;
