// Which command line bin/propgrade.js runs: the prebuilt one (scripts/build-cli.mjs) while it is
// fresher than every source file it was built from, else none (the source through tsx), so that an
// edit is never run stale. PROPGRADE_FROM_SOURCE=1 forces the source; PROPGRADE_PREBUILT=DIR names
// a build elsewhere (the test that a build and the source agree).
import { readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const ROOT = new URL('../', import.meta.url);

/** The prebuilt CLI's folder as a URL (ending in /), when it is fresh; else null. */
export function prebuiltCli(env = process.env) {
  if (env.PROPGRADE_FROM_SOURCE) return null;
  const dir = env.PROPGRADE_PREBUILT ? pathToFileURL(`${env.PROPGRADE_PREBUILT}/`) : new URL('dist/cli/', ROOT);
  try {
    const builtAt = statSync(new URL('main.js', dir)).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(new URL('inputs.json', dir), 'utf8'));
    return inputs.every((input) => statSync(new URL(input, ROOT)).mtimeMs <= builtAt) ? dir : null;
  } catch {
    return null;
  }
}
