#!/usr/bin/env bash
# `npm test`: provisions what the tests need (npm deps, Temporal binaries, Prisma client, Chromium), type-checks,
# lints, audits production dependencies (tooling/audit.sh), then runs every test. The tests start
# their own Temporal servers and a throwaway database; they need PostgreSQL and Redis running
# (tooling/preflight.ts says how to start them when they are not).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Node.js 24 for everything below, jest's workers and the processes the tests spawn included.
source tooling/node-env.sh
bash tooling/ensure-deps.sh
bash tooling/ensure-browser.sh
echo "test: type-checking"
npx --no-install tsc --noEmit -p .
echo "test: lint (ESLint: layers, workflow determinism, promises; madge: no import cycles; Prettier: format)"
npm run --silent lint
echo "test: audit (known vulnerabilities in production dependencies)"
bash tooling/audit.sh
npx --no-install jest "$@"
