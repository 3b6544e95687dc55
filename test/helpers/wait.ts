/** Waiting in a test for something another process does (a lock taken, a child booted), polled, with a bound. */

/** Resolves once `holds` does; after `ms` without, fails naming `what` it waited for. */
export async function until(holds: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !(await holds()); await new Promise((resolve) => setTimeout(resolve, 25))) {
    if (Date.now() > end) throw new Error(`waited ${ms / 1000} s in vain for ${what}`);
  }
}
