/**
 * junit.xml checked against schemas/junit-10.xsd (the structure of Jenkins' junit-10.xsd) by xmllint
 * (Debian's libxml2-utils, installed by .ci/run). Returns xmllint's complaints, empty when valid.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/gradescope/package.ts';

export const JUNIT_SCHEMA = join(PROJECT_ROOT, 'schemas', 'junit-10.xsd');

export function junitProblems(xml: string): string {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', JUNIT_SCHEMA, '-'], { input: xml, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.error) throw new Error(`xmllint could not run (apt-get install libxml2-utils; .ci/run does): ${run.error.message}`);
  return run.status === 0 ? '' : run.stderr.trim();
}
