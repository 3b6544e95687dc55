/**
 * A command, declared once: its positionals, its options (each with its value's name, its
 * description and how its text is read), what it does. Usage, help and parsing all come from that
 * declaration, so they cannot drift apart. Options several commands share are declared once too
 * (src/cli/options.ts).
 *
 *   export const command = defineCommand({
 *     positionals: '<submission>',
 *     description: 'Grades one submission ...',
 *     options: { lab, out: out('reports'), seed, runs },
 *     async run({ values, positionals }) { ... return 0; },
 *   });
 */
import { parseArgs } from 'node:util';
import { UsageError } from './args.ts';

export interface OptionSpec<T = unknown> {
  /** A flag (`--hidden`) or an option with a value (`--seed N`). */
  type: 'boolean' | 'string';
  /** The value's name in usage and help: `DIR`, `N`, `K/N`. */
  value?: string;
  description: string;
  /** May be given several times (its values come as a list). */
  multiple?: boolean;
  /** Must be given: usage shows it without brackets, and a command line without it is a usage error. */
  required?: boolean;
  /** Reads the text given (throws UsageError when it is no good); default: the text itself. */
  parse?: (text: string, name: string) => T;
}

type ValueOf<S> = S extends OptionSpec<infer T>
  ? S['type'] extends 'boolean'
    ? boolean | undefined
    : S['multiple'] extends true
      ? (unknown extends T ? string : T)[] | undefined
      : (unknown extends T ? string : T) | undefined
  : never;

export type Values<O extends Record<string, OptionSpec>> = { [K in keyof O]: ValueOf<O[K]> };

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** The positionals as usage shows them: `<submission>`, `[<submission>]`, `<shard-out-dir>...`. */
  positionals?: string;
  /** What the command does and writes, for `propgrade help <command>`. */
  description: string;
  options: O;
  run(args: { values: Values<O>; positionals: string[] }): Promise<number>;
}

export interface Command extends CommandSpec {
  usage(name: string): string;
  help(name: string, summary: string): string;
  /** Parses argv and runs; `--help` prints the help. Throws UsageError on a wrong command line. */
  main(name: string, summary: string, argv: string[]): Promise<number>;
}

export function defineCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): Command {
  const entries = Object.entries(spec.options) as [string, OptionSpec][];
  const flag = ([name, o]: [string, OptionSpec]) => `--${name}${o.value ? ` ${o.value}` : ''}`;
  const usage = (name: string) =>
    ['propgrade', name, spec.positionals, ...entries.map((e) => `${e[1].required ? flag(e) : `[${flag(e)}]`}${e[1].multiple ? '...' : ''}`)].filter(Boolean).join(' ');
  const help = (name: string, summary: string) => {
    const width = Math.max(0, ...entries.map((e) => flag(e).length));
    const lines = entries.map((e) => `  ${flag(e).padEnd(width)}  ${e[1].description.replace(/\n/g, `\n  ${' '.repeat(width)}  `)}`);
    return [`usage: ${usage(name)}`, '', `${summary[0]!.toUpperCase()}${summary.slice(1)}.`, '', spec.description, ...(lines.length ? ['', 'options:', ...lines, `  ${'--help'.padEnd(width)}  this text`] : [])].join('\n');
  };
  return {
    ...(spec as unknown as CommandSpec),
    usage,
    help,
    async main(name, summary, argv) {
      let parsed: { values: Record<string, unknown>; positionals: string[] };
      try {
        const options = Object.fromEntries([...entries.map(([key, o]) => [key, { type: o.type, ...(o.multiple ? { multiple: true } : {}) }]), ['help', { type: 'boolean', short: 'h' }]]);
        parsed = parseArgs({ args: argv, options: options as never, allowPositionals: true, strict: true }) as typeof parsed;
      } catch (error) {
        throw new UsageError(`propgrade ${name}: ${(error as Error).message}\nusage: ${usage(name)}`);
      }
      if (parsed.values.help) {
        console.log(help(name, summary));
        return 0;
      }
      const values: Record<string, unknown> = {};
      const missing = entries.filter(([key, o]) => o.required && parsed.values[key] === undefined).map(([key]) => `--${key}`);
      if (missing.length > 0) throw new UsageError(`propgrade ${name}: ${missing.join(' and ')} must be given\nusage: ${usage(name)}`);
      for (const [key, o] of entries) {
        const given = parsed.values[key];
        if (given === undefined || o.type === 'boolean' || !o.parse) values[key] = given;
        else values[key] = Array.isArray(given) ? given.map((g) => o.parse!(g as string, key)) : o.parse(given as string, key);
      }
      return spec.run({ values: values as Values<O>, positionals: parsed.positionals });
    },
  };
}
