#!/usr/bin/env bash
# Grades a class the way .github/workflows/grade-class.yml does, on any machine with the project
# installed (npm ci): the workflow's steps are these commands, and the test suite runs them on a class
# (test/batch/grade-class.test.ts), so the example cannot rot.
#
#   scripts/grade-class.sh fetch   SOURCE CLASS_DIR      unpack the class as it arrives
#   scripts/grade-class.sh grade   CLASS_DIR OUT [K/N]   propgrade batch (shard K of N)
#   scripts/grade-class.sh merge   OUT SHARD_OUT...      propgrade merge
#   scripts/grade-class.sh summary OUT                   the class in Markdown (for $GITHUB_STEP_SUMMARY)
#
# SOURCE is a zip or tar archive of one folder per student (an LMS export), an https:// URL of one
# (sent with CLASS_TOKEN as a bearer token when it is set), or a folder: of student folders, or
# holding the one archive (a downloaded artifact). `grade` reads SEED (reproducible grading: the same
# seed and folders give the same summary, however sharded), RUNS, WORKERS and RESUME=1 from the
# environment.
#
# Exit codes are propgrade's: 0 every submission has a result; 2 bad input (an empty class, an OUT
# another run is writing); 3 some submission is not graded (a grader fault, never a score: its
# output is complete all the same, and RESUME=1 grades it again).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
  echo "grade-class: $2" >&2
  exit "$1"
}
propgrade() { node "$ROOT/bin/propgrade.js" "$@"; }

is_zip() { [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 504b0304 ]; }

unpack() { # ARCHIVE DIR
  if is_zip "$1"; then
    if command -v unzip >/dev/null; then unzip -q "$1" -d "$2"; else python3 -m zipfile -e "$1" "$2"; fi
  elif tar -tf "$1" >/dev/null 2>&1; then
    tar -xf "$1" -C "$2" --no-same-owner --no-same-permissions
  else
    die 2 "$1 is neither a zip nor a tar archive"
  fi
}

# The folder that holds the student folders: an export often wraps them in one folder of its own
# (export/alice, export/bob). A lone folder is a wrapper when it holds no lab.ts itself and at least
# two folders.
class_root() { # DIR
  local dir="$1" entries
  while :; do
    mapfile -t entries < <(find "$dir" -mindepth 1 -maxdepth 1)
    [ "${#entries[@]}" -eq 1 ] && [ -d "${entries[0]}" ] && [ ! -e "${entries[0]}/lab.ts" ] || break
    [ "$(find "${entries[0]}" -mindepth 1 -maxdepth 1 -type d | wc -l)" -ge 2 ] || break
    dir="${entries[0]}"
  done
  echo "$dir"
}

fetch() { # SOURCE CLASS_DIR
  local source="$1" class="$2"
  [ ! -e "$class" ] || [ -z "$(ls -A "$class")" ] || die 2 "$class is not empty: fetch into a new folder"
  work="$(mktemp -d)" # global: the EXIT trap removes it
  trap 'rm -rf "$work"' EXIT
  case "$source" in
    https://* | http://*)
      curl -fsSL --retry 3 ${CLASS_TOKEN:+-H "Authorization: Bearer $CLASS_TOKEN"} -o "$work/download" "$source"
      source="$work/download"
      ;;
  esac
  mkdir -p "$work/unpacked"
  if [ -d "$source" ]; then
    local inside
    mapfile -t inside < <(find "$source" -mindepth 1 -maxdepth 1)
    if [ "${#inside[@]}" -eq 1 ] && [ -f "${inside[0]}" ]; then unpack "${inside[0]}" "$work/unpacked"; else cp -R "$source/." "$work/unpacked/"; fi
  elif [ -f "$source" ]; then
    unpack "$source" "$work/unpacked"
  else
    die 2 "no class at '$source' (a zip or tar archive, an https:// URL, or a folder)"
  fi
  # Only folders and regular files: a student's symbolic link (to the grader's secrets, say) or
  # device goes, and so do the archivers' leftovers (__MACOSX, .DS_Store).
  find "$work/unpacked" -name __MACOSX -prune -exec rm -rf {} +
  find "$work/unpacked" -mindepth 1 ! -type d ! -type f -print -delete | sed 's/^/grade-class: removed (not a regular file): /' >&2
  find "$work/unpacked" -mindepth 1 -name '.*' -prune -exec rm -rf {} +

  mkdir -p "$class"
  cp -R "$(class_root "$work/unpacked")/." "$class/"
  local folders
  folders=$(find "$class" -mindepth 1 -maxdepth 1 -type d | wc -l)
  [ "$folders" -gt 0 ] || die 2 "no student folder in '$1' (one folder per student, holding lab.ts)"
  echo "grade-class: $folders student folder(s) in $class"
}

grade() { # CLASS_DIR OUT [K/N]
  local args=(batch "$1" --out "$2")
  [ -z "${3:-}" ] || args+=(--shard "$3")
  [ -z "${SEED:-}" ] || args+=(--seed "$SEED")
  [ -z "${RUNS:-}" ] || args+=(--runs "$RUNS")
  [ -z "${WORKERS:-}" ] || args+=(--workers "$WORKERS")
  [ "${RESUME:-}" != 1 ] || args+=(--resume)
  propgrade "${args[@]}"
}

merge() { # OUT SHARD_OUT...
  local out="$1"
  shift
  propgrade merge "$@" --out "$out"
}

summary() { # OUT
  node - "$1" <<'JS'
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const dir = process.argv[2];
const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const d = s.distribution;
const lines = [
  `### ${s.submissions} submissions: ${s.graded} graded, ${s.noSubmission.length} with no submission, ${s.notGraded.length} not graded`,
  '',
  d.mean === null ? 'No submission was graded.' : `Graded: mean ${d.mean} / ${s.maxScore}, median ${d.median}, lowest ${d.min}, highest ${d.max}.`,
];
if (s.tasks.length) {
  lines.push('', '| task | pass rate | mean | most common failure |', '|---|---|---|---|');
  for (const t of s.tasks) lines.push(`| ${t.task} | ${Math.round(t.passRate * 100)}% | ${t.meanScore} / ${t.maxScore} | ${t.mostCommonFailure ? t.mostCommonFailure.property : '-'} |`);
}
if (s.notGraded.length) {
  lines.push('', `**Not graded** (grader faults, no score: fix the grader, then grade again with RESUME=1):`);
  for (const p of s.notGraded) lines.push(`- ${p.name}: ${p.reason}`);
}
if (s.noSubmission.length) lines.push('', `No submission: ${s.noSubmission.map((p) => p.name).join(', ')}`);
const graded = s.students.find((st) => st.status === 'graded' && existsSync(join(dir, st.name, 'report.json')));
if (graded) lines.push('', `Sandbox layers: ${JSON.parse(readFileSync(join(dir, graded.name, 'report.json'), 'utf8')).sandboxLayers.join(', ') || 'none'}`);
console.log(lines.join('\n'));
JS
}

command="${1:-}"
case "$command" in
  fetch) [ $# -eq 3 ] || die 2 "usage: $0 fetch SOURCE CLASS_DIR" ;;
  grade) [ $# -eq 3 ] || [ $# -eq 4 ] || die 2 "usage: $0 grade CLASS_DIR OUT [K/N]" ;;
  merge) [ $# -ge 3 ] || die 2 "usage: $0 merge OUT SHARD_OUT..." ;;
  summary) [ $# -eq 2 ] || die 2 "usage: $0 summary OUT" ;;
  *) die 2 "usage: $0 fetch|grade|merge|summary ... (see the head of this script)" ;;
esac
shift
"$command" "$@"
