/**
 * The command line: a thin dispatcher. Each command lives in `commands/<name>.ts`, exports its
 * `command` (declared with defineCommand: usage, help and parsing from one declaration; a few still
 * export a `run(argv)` of their own) and is loaded only when called, so `propgrade check` never pays
 * for TensorFlow.js or ts-morph it does not use. Help goes to stdout, usage errors to stderr (exit 2).
 */
import { readFileSync } from 'node:fs';
import { CallerError } from '../errors.ts';
import { phase } from '../grading/phase.ts';
import { UsageError } from './args.ts';
import type { Command } from './command.ts';

type CommandModule = { command: Command } | { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  grade: { summary: 'grade one submission, write results.json and the staff reports', load: () => import('./commands/grade.ts') },
  check: { summary: "a student's local fuzz check on the public properties", load: () => import('./commands/check.ts') },
  lint: { summary: 'the static checks alone', load: () => import('./commands/lint.ts') },
  batch: { summary: 'grade every submission folder under a directory', load: () => import('./commands/batch.ts') },
  merge: { summary: 'join the outputs of several batch --shard runs', load: () => import('./commands/merge.ts') },
  assign: { summary: 'the student kit and the Gradescope autograder of a lab, checked', load: () => import('./commands/assign.ts') },
  gradescope: { summary: 'build the Gradescope autograder zip', load: () => import('./commands/gradescope.ts') },
  'verify-engine': { summary: 'the engine against its oracles: TensorFlow.js, or PyTorch itself', load: () => import('./commands/verify-engine.ts') },
  harden: { summary: 'the hidden specs against the mutant corpus', load: () => import('./commands/harden.ts') },
  bench: { summary: 'engine against TensorFlow.js and its floor, start-up profile, grading throughput', load: () => import('./commands/bench.ts') },
  config: { summary: 'the course settings in force, and where each came from', load: () => import('./commands/config.ts') },
  labs: { summary: 'the labs found, with their folders and tasks', load: () => import('./commands/labs.ts') },
  demo: { summary: 'the engine on a small layer: values, gradients and its graph', load: () => import('./commands/demo.ts') },
};

/** Commands other parts of propgrade start, which usage does not list. */
const INTERNAL: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  'grade-worker': { summary: 'a warm grader for batch: grades the jobs it reads on stdin', load: () => import('./commands/grade-worker.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: propgrade <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n'propgrade help <command>' (or '<command> --help') for a command's options; 'propgrade --version'.`;
}

const version = () => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export { killChildren } from './children.ts';

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(usage());
    return 2;
  }
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    console.log(usage());
    return 0;
  }
  // `propgrade help grade` is `propgrade grade --help`.
  const [commandName, args] = name === 'help' ? [rest[0]!, ['--help']] : [name, rest];
  const command = COMMANDS[commandName] ?? INTERNAL[commandName];
  if (!command) {
    console.error(`propgrade: unknown command '${commandName}'\n\n${usage()}`);
    return 2;
  }
  try {
    const module = await phase('load command', command.load);
    return 'command' in module ? await module.command.main(commandName, command.summary, args) : await module.run(args);
  } catch (error) {
    // A wrong --lab is the caller's to fix, like a wrong option.
    if (error instanceof CallerError) {
      console.error(error instanceof UsageError ? error.message : `propgrade ${name}: ${error.message}`);
      return 2;
    }
    // A grader fault: say what broke, exit non-zero (CONTRACT: non-zero only when the grader failed).
    console.error(`propgrade ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 3;
  }
}
