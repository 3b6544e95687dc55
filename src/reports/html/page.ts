/**
 * The pieces every HTML report shares: escaping, the page shell with its inline stylesheet, and
 * plain values (tensors as tables with their shape). Pages are self-contained: no script, no
 * external asset, nothing fetched, so they open from a CI artifact or an e-mail attachment.
 */
import { formatScore } from '../results.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every text that reaches a page goes through here (student code, messages, names). */
export const esc = (text: unknown): string => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `
:root { --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --muted: #656d76; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 0; } h3 { font-size: 15px; margin: 16px 0 6px; }
.sub { color: var(--muted); margin: 0 0 20px; }
.score { font-size: 34px; font-weight: 700; }
.pill { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; }
.pass { color: var(--ok); background: var(--ok-bg); } .fail { color: var(--bad); background: var(--bad-bg); }
section.task { border: 1px solid var(--line); border-radius: 8px; margin: 18px 0; padding: 14px 18px; }
section.task > header { display: flex; gap: 12px; align-items: center; justify-content: space-between; }
.broken { background: var(--bad-bg); border-left: 4px solid var(--bad); padding: 8px 12px; margin: 10px 0; white-space: pre-wrap; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
table.props { width: 100%; } td.num, th.num { white-space: nowrap; } td.name { white-space: nowrap; }
.msg, .counterexample { white-space: pre-wrap; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
table.summary { margin: 10px 0 18px; }
table.tensor td { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; text-align: right; border-color: #e5e7eb; }
table.tensor caption { caption-side: top; text-align: left; font-size: 12px; color: var(--muted); white-space: nowrap; }
.value { display: inline-block; vertical-align: top; margin: 0 16px 8px 0; }
.value > .name { font: 600 13px ui-monospace, monospace; }
details { margin: 8px 0; } summary { cursor: pointer; color: #0969da; }
pre.code { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px 0; overflow-x: auto; margin: 6px 0; }
pre.code .ln { display: block; padding: 0 12px 0 0; white-space: pre; }
pre.code .ln::before { content: attr(data-n); display: inline-block; width: 3.5em; padding-right: 12px; text-align: right; color: var(--muted); user-select: none; }
pre.code .uncovered { background: var(--bad-bg); box-shadow: inset 4px 0 var(--bad); }
pre.code .covered { box-shadow: inset 4px 0 #8fd19e; }
.graph svg { max-width: 100%; height: auto; } .graph { overflow-x: auto; }
.bar { background: var(--bad-bg); border-radius: 4px; height: 14px; width: 160px; display: inline-block; vertical-align: middle; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--ok); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin: 12px 0 24px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; } .card .k { color: var(--muted); font-size: 13px; } .card .v { font-size: 22px; font-weight: 700; }
.muted { color: var(--muted); }
/* Tables of names chosen by others (folder names, task ids): they wrap rather than widen the page. */
table.wrap th, table.wrap td:not(.num) { white-space: normal; overflow-wrap: anywhere; }
`;

/**
 * The policy of every page propgrade writes: nothing runs, nothing is fetched, only inline styles and
 * data: images. Should text ever slip past the escaping, the browser still runs none of it.
 */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The policy as the first element of a page's head. */
export const cspMeta = (policy: string) => `<meta http-equiv="Content-Security-Policy" content="${esc(policy)}">`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${cspMeta(CSP)}
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

export const passPill = (passed: boolean) => (passed ? '<span class="pill pass">pass</span>' : '<span class="pill fail">fail</span>');

/** A score for people (src/reports/results.ts formatScore), escaped. */
export const points = (x: number) => esc(formatScore(x));

/** A pass-rate bar: green for the share in [0, 1]. */
export const bar = (share: number) => `<span class="bar" title="${esc(Math.round(share * 100))}%"><span style="width:${(Math.max(0, Math.min(1, share)) * 100).toFixed(1)}%"></span></span>`;

/**
 * A tensor as the reports carry it: in memory `data` is a Float64Array; read back from report.json it
 * is an array whose non-finite numbers are strings.
 */
interface TensorLike {
  shape: number[];
  data: ArrayLike<number | string>;
}

const isTensorLike = (v: unknown): v is TensorLike =>
  typeof v === 'object' && v !== null && Array.isArray((v as TensorLike).shape) && typeof (v as TensorLike).data === 'object' && (v as TensorLike).data !== null && 'length' in (v as TensorLike).data;

const num = (x: number | string) => (typeof x === 'number' ? String(Number(x.toPrecision(6))) : x);

/** A tensor as a table: rows and columns for 2-D, one row for 1-D, stacked tables beyond. */
function tensorHtml(t: TensorLike): string {
  const values = Array.from(t.data as ArrayLike<number | string>);
  const shape = t.shape;
  const caption = `<caption>shape [${shape.join(', ')}]</caption>`;
  if (shape.length === 0) return `<table class="tensor">${caption}<tr><td>${esc(num(values[0] ?? ''))}</td></tr></table>`;
  const cols = shape[shape.length - 1]!;
  const rows: string[] = [];
  for (let i = 0; i < values.length; i += Math.max(1, cols)) {
    rows.push(`<tr>${values.slice(i, i + cols).map((x) => `<td>${esc(num(x))}</td>`).join('')}</tr>`);
  }
  return `<table class="tensor">${caption}${rows.join('')}</table>`;
}

/** Any plain value: tensors as tables, objects as named values, arrays of tensors side by side. */
export function plainHtml(value: unknown, name?: string): string {
  const label = name === undefined ? '' : `<div class="name">${esc(name)}</div>`;
  if (isTensorLike(value)) return `<div class="value">${label}${tensorHtml(value)}</div>`;
  if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) {
    return `<div class="value">${label}${value.map((v, i) => plainHtml(v, `[${i}]`)).join('')}</div>`;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return `<div class="value">${label}${Object.entries(value).map(([k, v]) => plainHtml(v, k)).join('')}</div>`;
  }
  return `<div class="value">${label}<code>${esc(JSON.stringify(value))}</code></div>`;
}
