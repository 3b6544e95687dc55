import { readdirSync, readFileSync } from 'node:fs';

export interface LiveProcess {
  pid: number;
  /** Its state letter (R, S, D, ...). */
  state: string;
  /** Its process group. */
  group: number;
  argv: string[];
}

/** The processes alive now, read from /proc; zombies (dead, only waiting to be reaped) left out. */
export function liveProcesses(): LiveProcess[] {
  const live: LiveProcess[] = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const argv = readFileSync(`/proc/${name}/cmdline`, 'latin1').split('\0').slice(0, -1);
      if (state !== 'Z') live.push({ pid: Number(name), state: state!, group: Number(group), argv });
    } catch {
      // Gone while we looked.
    }
  }
  return live;
}

/** The node processes running the sandbox boot `boot` (a child.mjs path), not the layers' wrappers around them. */
export const bootedFrom = (boot: string): number[] =>
  liveProcesses()
    .filter((p) => /node$/.test(p.argv[0] ?? '') && p.argv.includes(boot))
    .map((p) => p.pid);
