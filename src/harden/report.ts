/**
 * The harden report: every mutant's verdict, the score of the specs and of the lab's fixed
 * examples alone (the baseline) on the same mutants, as JSON, Markdown and a self-contained HTML
 * page. Survivors come first, each with its diff: that is the staff's to-do list.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { esc, page } from '../reports/html/page.ts';
import { plainToJson } from '../reports/plain-json.ts';
import { writeAtomic } from '../reports/write.ts';
import type { Plain } from '../sandbox/protocol.ts';
import { renderPlain } from '../spec/render.ts';
import type { Equivalence } from './equivalence.ts';
import type { Kill } from './kill.ts';
import type { Mutant } from './mutants/index.ts';

/**
 * killed: some property (or a static rule, or a break of the task) told it from the reference.
 * survived: nothing did, and the small-case search found an input where it differs.
 * equivalent: nothing did and the search found no difference: not counted.
 * error: the grader failed while grading it: not counted, and said loudly.
 */
export type Status = 'killed' | 'survived' | 'equivalent' | 'error';

export interface MutantResult extends Omit<Mutant, 'text'> {
  status: Status;
  killedBy: Kill[];
  /** The baseline: the lab's fixed examples alone caught it. */
  exampleCaught: boolean;
  equivalence?: Equivalence;
  graderFaults?: string[];
  durationMs: number;
}

export interface Tally {
  /** Non-equivalent mutants counted (killed + survived). */
  mutants: number;
  killed: number;
  survived: number;
  /** killed / (killed + survived); null when there is nothing to count. */
  score: number | null;
}

/** One property's share of the kills: how many mutants it kills, how many cases it needs, and which only it kills. */
export interface PropertyKills {
  task: string;
  property: string;
  example: boolean;
  killed: number;
  /** The most cases it ran before its first failure, over the mutants it killed (how many runs it needs). */
  maxRuns: number;
  /** Mutants no other property killed. */
  only: string[];
}

export interface HardenReport {
  seed: number;
  /** The --runs override, or null for the specs' default runs. */
  runs: number | null;
  startedAt: string;
  durationMs: number;
  /** Where the time went: making the mutants, grading them on `workers` processes (with the search of the unkilled ones). */
  timings: { mutantsMs: number; gradingMs: number };
  workers: number;
  score: number | null;
  killed: number;
  survived: number;
  equivalent: number;
  errors: number;
  /** The fixed examples alone on the same non-equivalent mutants. */
  baseline: Tally;
  bySource: Record<'domain' | 'stryker', Tally & { equivalent: number }>;
  stryker: { status: 'ran' | 'skipped' | 'failed'; reason?: string; durationMs?: number; mutants?: number };
  /** The kill matrix by property, most kills first. */
  byProperty: PropertyKills[];
  /** Survivors first, then by source and id. */
  mutants: MutantResult[];
}

/** Score arithmetic over the counted (non-equivalent, non-error) mutants; `caught` says which count as killed. */
export function tally(results: MutantResult[], caught: (r: MutantResult) => boolean): Tally {
  const counted = results.filter((r) => r.status === 'killed' || r.status === 'survived');
  const killed = counted.filter(caught).length;
  return { mutants: counted.length, killed, survived: counted.length - killed, score: counted.length === 0 ? null : killed / counted.length };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The run's time and where it went. */
export const timeText = (r: HardenReport) =>
  `${seconds(r.durationMs)} (making the mutants ${seconds(r.timings.mutantsMs)}, grading them and searching the unkilled ones on ${r.workers} workers ${seconds(r.timings.gradingMs)})`;

const ORDER: Record<Status, number> = { survived: 0, error: 1, killed: 2, equivalent: 3 };

export function buildReport(results: MutantResult[], run: Pick<HardenReport, 'seed' | 'runs' | 'startedAt' | 'durationMs' | 'timings' | 'workers' | 'stryker'>): HardenReport {
  const specs = tally(results, (r) => r.status === 'killed');
  const count = (status: Status, from = results) => from.filter((r) => r.status === status).length;
  const bySource = (source: Mutant['source']) => {
    const own = results.filter((r) => r.source === source);
    return { ...tally(own, (r) => r.status === 'killed'), equivalent: count('equivalent', own) };
  };
  const sorted = [...results].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.source.localeCompare(b.source) || byId(a.id, b.id));
  return {
    ...run,
    score: specs.score,
    killed: specs.killed,
    survived: specs.survived,
    equivalent: count('equivalent'),
    errors: count('error'),
    baseline: tally(results, (r) => r.exampleCaught),
    bySource: { domain: bySource('domain'), stryker: bySource('stryker') },
    byProperty: byProperty(results),
    mutants: sorted,
  };
}

function byProperty(results: MutantResult[]): PropertyKills[] {
  const rows = new Map<string, PropertyKills>();
  for (const r of results) {
    for (const k of r.killedBy) {
      const key = `${k.task}/${k.property}`;
      const row = rows.get(key) ?? { task: k.task, property: k.property, example: k.example, killed: 0, maxRuns: 0, only: [] };
      row.killed++;
      row.maxRuns = Math.max(row.maxRuns, k.runs);
      if (r.killedBy.length === 1) row.only.push(r.id);
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => b.killed - a.killed || `${a.task}/${a.property}`.localeCompare(`${b.task}/${b.property}`));
}

/** `op#2` before `op#10`. */
const byId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export const percent = (score: number | null) => (score === null ? 'n/a' : `${(score * 100).toFixed(1)}%`);

/** The one-line headline: specs versus fixed examples on the same mutants. */
export function headline(r: HardenReport): string {
  return (
    `property specs kill ${r.killed} of ${r.killed + r.survived} mutants (${percent(r.score)}); ` +
    `the lab's fixed examples alone kill ${r.baseline.killed} (${percent(r.baseline.score)}); ` +
    `${r.equivalent} equivalent not counted${r.errors > 0 ? `; ${r.errors} not graded (grader errors)` : ''}`
  );
}

/** The staff's to-do list: the mutants nothing killed, and those the grader failed on. */
export const survivorsOf = (r: HardenReport) => r.mutants.filter((m) => m.status === 'survived' || m.status === 'error');


const killText = (k: Kill) => (k.runs > 0 ? `${k.task}/${k.property} after ${k.runs} case${k.runs === 1 ? '' : 's'}` : `${k.task}/${k.property}`);

/** Who killed the mutant: each property with the cases it ran up to its first failure. */
const killers = (r: MutantResult) => (r.killedBy.length === 0 ? '—' : r.killedBy.map(killText).join('; '));

export function toMarkdown(r: HardenReport): string {
  const survivors = survivorsOf(r);
  const row = (m: MutantResult) =>
    `| ${m.id} | ${m.source} | ${m.tasks.join(', ')} | ${m.status} | ${m.exampleCaught ? 'yes' : 'no'} | ${killers(m).replace(/\|/g, '\\|')} |`;
  const tallyRow = (name: string, t: Tally) => `| ${name} | ${t.mutants} | ${t.killed} | ${t.survived} | ${percent(t.score)} |`;
  return [
    '# propgrade harden',
    '',
    `Seed ${r.seed}, ${r.runs === null ? "the specs' default runs" : `${r.runs} runs a property`}, ${timeText(r)}. Stryker: ${r.stryker.status}${r.stryker.reason ? ` (${r.stryker.reason})` : ''}.`,
    '',
    `**${headline(r)}**`,
    '',
    '| tests | mutants counted | killed | survived | score |',
    '|---|---|---|---|---|',
    tallyRow('property specs', { mutants: r.killed + r.survived, killed: r.killed, survived: r.survived, score: r.score }),
    tallyRow('fixed examples only (baseline)', r.baseline),
    tallyRow('specs, domain mutants', r.bySource.domain),
    tallyRow('specs, Stryker mutants', r.bySource.stryker),
    '',
    `## Survivors (${survivors.length})`,
    '',
    ...(survivors.length === 0 ? ['None: every non-equivalent mutant was killed.', ''] : survivors.flatMap((m) => [
      `### ${m.id}: ${m.title} (${m.tasks.join(', ')})`,
      '',
      m.status === 'error' ? `Not graded: ${(m.graderFaults ?? []).join('; ')}` : (m.equivalence?.reason ?? ''),
      ...(m.equivalence?.difference ? ['', '```', showDifference(m.equivalence.difference), '```'] : []),
      '',
      '```diff',
      m.diff.trimEnd(),
      '```',
      '',
    ])),
    '## The kill matrix by property',
    '',
    '| property | fixed example | mutants killed | most cases before the first failure | the only killer of |',
    '|---|---|---|---|---|',
    ...r.byProperty.map((p) => `| ${p.task}/${p.property} | ${p.example ? 'yes' : 'no'} | ${p.killed} | ${p.maxRuns} | ${p.only.join(', ') || '—'} |`),
    '',
    '## Every mutant',
    '',
    '| mutant | source | tasks | status | fixed examples catch it | killed by |',
    '|---|---|---|---|---|---|',
    ...r.mutants.map(row),
    '',
    `## Equivalent mutants (${r.equivalent})`,
    '',
    ...r.mutants.filter((m) => m.status === 'equivalent').flatMap((m) => [`### ${m.id}: ${m.title}`, '', m.equivalence?.reason ?? '', '', '```diff', m.diff.trimEnd(), '```', '']),
  ].join('\n');
}

/** The distinguishing case, as the grader shows a counterexample. */
function showDifference(d: NonNullable<Equivalence['difference']>): string {
  const show = (v: Plain) => renderPlain(v).replace(/\n/g, '\n    ');
  return [`${d.exportName}(`, ...d.args.map((a) => `    ${show(a)},`), ')', `  reference: ${show(d.expected)}`, `  mutant:    ${show(d.actual)}`].join('\n');
}

/** JSON with tensors as `{ shape, data: number[] }` and non-finite numbers kept as strings. */
const plainJson = (value: object) => JSON.stringify(plainToJson(value as Plain), null, 2);

export function toHtml(r: HardenReport): string {
  const card = (k: string, v: string) => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div></div>`;
  const diff = (text: string) =>
    `<pre class="code">${text
      .trimEnd()
      .split('\n')
      .map((line) => `<span class="ln${line.startsWith('+') && !line.startsWith('+++') ? ' covered' : line.startsWith('-') && !line.startsWith('---') ? ' uncovered' : ''}">${esc(line)}</span>`)
      .join('')}</pre>`;
  const pill = (m: MutantResult) => `<span class="pill ${m.status === 'killed' || m.status === 'equivalent' ? 'pass' : 'fail'}">${esc(m.status)}</span>`;
  const detail = (m: MutantResult) =>
    `<section class="task"><header><h2>${esc(m.id)}: ${esc(m.title)}</h2>${pill(m)}</header>` +
    `<p class="muted">${esc(m.source)} · ${esc(m.tasks.join(', '))}</p>` +
    (m.equivalence ? `<p class="msg">${esc(m.equivalence.reason)}</p>` : '') +
    (m.equivalence?.difference ? `<pre class="msg">${esc(showDifference(m.equivalence.difference))}</pre>` : '') +
    (m.graderFaults?.length ? `<div class="broken">${esc(m.graderFaults.join('\n'))}</div>` : '') +
    diff(m.diff) +
    '</section>';
  const survivors = survivorsOf(r);
  const rows = r.mutants
    .map((m) => `<tr><td class="name">${esc(m.id)}</td><td>${esc(m.source)}</td><td>${esc(m.tasks.join(', '))}</td><td>${pill(m)}</td><td>${m.exampleCaught ? 'yes' : 'no'}</td><td>${esc(killers(m))}</td></tr>`)
    .join('');
  const body = `<h1>propgrade harden</h1>
<p class="sub">${esc(headline(r))}</p>
<div class="grid">${card('property specs', percent(r.score))}${card('fixed examples only', percent(r.baseline.score))}${card('killed', String(r.killed))}${card('survived', String(r.survived))}${card('equivalent', String(r.equivalent))}${card('Stryker', r.stryker.status)}</div>
<h2>Survivors (${survivors.length})</h2>
${survivors.length === 0 ? '<p>None: every non-equivalent mutant was killed.</p>' : survivors.map(detail).join('')}
<h2>The kill matrix by property</h2>
<table class="props"><tr><th>property</th><th>fixed example</th><th class="num">mutants killed</th><th class="num">most cases before the first failure</th><th>the only killer of</th></tr>${r.byProperty
    .map((p) => `<tr><td class="name">${esc(`${p.task}/${p.property}`)}</td><td>${p.example ? 'yes' : 'no'}</td><td class="num">${p.killed}</td><td class="num">${p.maxRuns}</td><td>${esc(p.only.join(', ') || '—')}</td></tr>`)
    .join('')}</table>
<h2>Every mutant</h2>
<table class="props"><tr><th>mutant</th><th>source</th><th>tasks</th><th>status</th><th>fixed examples catch it</th><th>killed by (property after n cases)</th></tr>${rows}</table>
<details><summary>Diffs of every mutant</summary>${r.mutants.filter((m) => !survivors.includes(m)).map(detail).join('')}</details>`;
  return page('propgrade harden', body);
}

/** Writes harden.json, harden.md and harden.html into `outDir`; returns their paths. */
export async function writeHardenReport(r: HardenReport, outDir: string): Promise<{ json: string; markdown: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const files = { json: join(outDir, 'harden.json'), markdown: join(outDir, 'harden.md'), html: join(outDir, 'harden.html') };
  await writeAtomic(files.json, plainJson(r) + '\n');
  await writeAtomic(files.markdown, toMarkdown(r));
  await writeAtomic(files.html, toHtml(r));
  return files;
}
