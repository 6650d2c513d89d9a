#!/usr/bin/env bash
# Everything `npm start` and `npm test` need before TypeScript runs: Node.js 24 (when the machine's is
# older), npm dependencies (when missing or older than the lockfile), the Temporal binaries, the Prisma
# client. Each step is idempotent and fast when already done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# First, so that npm ci itself runs on (and checks engines against) the project's Node.
source tooling/node-env.sh
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "ensure-deps: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
bash tooling/provision-temporal.sh
bash tooling/prisma-generate.sh
