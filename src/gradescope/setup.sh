#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu). It installs
# Node 24 (an LTS line) when the image has no maintained Node (22 or later), then the project's
# dependencies exactly as locked. Grading runs as root there: the sandbox gets its own network and
# pid namespaces, rlimits, and runs student code as nobody (README, "Node lines and sandbox layers").
set -euo pipefail
cd "$(dirname "$0")"

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ca-certificates curl gnupg
  curl -fsSL https://deb.nodesource.com/setup_24.x | bash -
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs
fi
node --version

# A C compiler for the sandbox's no-sockets layer (a seccomp filter npm ci's prepare builds).
if ! command -v cc >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libc6-dev
fi

# Runtime dependencies only (no tfjs-node download); npm ci's prepare builds dist/autograd.js, the engine.
npm ci --omit=dev --omit=optional --no-audit --no-fund
