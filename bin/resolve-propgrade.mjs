// Module resolution hook: `propgrade`, `propgrade/spec`, `propgrade/autograd` and fast-check, imported
// from a lab folder anywhere on disk, resolve to this installation (as a self-reference from its
// package.json): a course's own lab needs no copy of propgrade and shares the grader's instances.
// Under the prebuilt CLI (bin/propgrade.js passes its folder), `propgrade` and `propgrade/spec` are
// that build's own entry points, so a lab shares the modules the CLI runs, not copies from source.
const SELF = new URL('../package.json', import.meta.url).href;
const SHARED = /^(propgrade|fast-check)(\/|$)/;
const PREBUILT_ENTRIES = { propgrade: 'index.js', 'propgrade/spec': 'spec.js' };

let prebuilt = null;

export function initialize(data) {
  prebuilt = data?.prebuilt ?? null;
}

export async function resolve(specifier, context, next) {
  if (prebuilt && specifier in PREBUILT_ENTRIES) return { url: new URL(PREBUILT_ENTRIES[specifier], prebuilt).href, format: 'module', shortCircuit: true };
  return next(specifier, SHARED.test(specifier) ? { ...context, parentURL: SELF } : context);
}
