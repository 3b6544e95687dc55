// Preloaded (`node --import`) into a fresh propgrade process by the start-up profile (profile.ts):
// at exit it writes the run's phases (src/grading/phase.ts), its CPU time and its peak memory to
// the file PROPGRADE_PROFILE names.
import { readFileSync, writeFileSync } from 'node:fs';

const PREFIX = 'propgrade:';
const file = process.env.PROPGRADE_PROFILE;

/** CPU seconds of the processes this one waited for (the sandboxed children): Linux's /proc, else 0. */
export function childrenCpu() {
  try {
    // Fields after the command's closing parenthesis; cutime and cstime are the 14th and 15th.
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // clock ticks (USER_HZ, 100 on Linux)
  } catch {
    return 0;
  }
}

if (file) {
  process.on('exit', () => {
    const phases = performance.getEntriesByType('measure').filter((m) => m.name.startsWith(PREFIX)).map((m) => ({ name: m.name.slice(PREFIX.length), start: m.startTime, end: m.startTime + m.duration }));
    const { user, system } = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ phases, exitMs: performance.now(), cpuS: (user + system) / 1e6, childrenCpuS: childrenCpu(), maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  });
}
