/** `propgrade config`: the course settings in force here, and where each came from. */
import { CONFIG_FILE, loadConfig, type Settings } from '../../config/config.ts';
import { DEFAULT_LAB } from '../../lab/load.ts';
import { displayPath, UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';
import { json } from '../options.ts';

const shown = (key: keyof Settings, value: Settings[keyof Settings]): string => {
  if (key === 'lab') return displayPath((value as string | undefined) ?? DEFAULT_LAB);
  if (key === 'runs') return value === undefined ? "each property's own" : String(value);
  if (key === 'requireLayers') return value === undefined ? 'the strongest this machine proves it runs' : (value as string[]).join(', ');
  if (key === 'secret') {
    const { env, file } = value as Settings['secret'];
    return `$${env}, else ${file ?? '.propgrade-secret beside the grader (made on first use)'}`;
  }
  return String(value);
};

export const command = defineCommand({
  description: `Prints the settings in force for commands run in this folder: ${CONFIG_FILE} here or in a folder
above (the first found), else the defaults, each with where it came from.`,
  options: { json },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`propgrade config takes no positional arguments\nusage: ${command.usage('config')}`);
    const { settings, origins, file } = loadConfig();
    if (values.json) {
      console.log(JSON.stringify({ file: file ?? null, settings, origins }, null, 2));
      return 0;
    }
    console.log(file ? `propgrade config: ${file}` : `propgrade config: no ${CONFIG_FILE} here or above; the defaults`);
    const keys = Object.keys(origins) as (keyof Settings)[];
    const width = Math.max(...keys.map((k) => k.length));
    for (const key of keys) console.log(`  ${key.padEnd(width)}  ${shown(key, settings[key])}  (${origins[key] === 'default' ? 'default' : displayPath(origins[key])})`);
    return 0;
  },
});
