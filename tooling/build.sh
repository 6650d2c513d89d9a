#!/usr/bin/env bash
# `npm run build`: compiles every process's TypeScript to JavaScript in dist/app (tsconfig.build.json,
# the repository layout kept, as the Docker image does for its subset), copies the migrations next to
# the compiled migrator and the pages' assets next to web/assets.js, and pre-builds the workflow bundles (dist/workflow-bundle.js and its traced
# twin) so workers load them instead of running webpack. npm start, the bench and the drills run it
# first: each step is skipped when nothing it reads changed since its last output.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source tooling/node-env.sh

sources=(domain platform web api activities workflows workers prisma tooling bench test/faults)
present=()
for dir in "${sources[@]}"; do [ -e "$dir" ] && present+=("$dir"); done
stamp=dist/app/.tsbuildinfo

# Newer than $1: any source, the compiler settings or the installed packages.
changed_since() {
  [ ! -f "$1" ] && return 0
  [ -n "$(find "${present[@]}" tsconfig.json tsconfig.build.json package-lock.json -newer "$1" \
    \( -name '*.ts' -o -name '*.tsx' -o -name '*.json' -o -name '*.sql' \) -print -quit)" ]
}

if changed_since "$stamp"; then
  echo "build: compiling TypeScript into dist/app"
  npx --no-install tsc -p tsconfig.build.json
  rm -rf dist/app/prisma/migrations
  cp -R prisma/migrations dist/app/prisma/migrations
  # tsc leaves its build info alone when no output changed: the stamp says this build is current.
  touch "$stamp"
fi
# Copied on every build (they are small), with their times kept so they do not look newer than the bundle.
if [ -d web/assets ]; then
  rm -rf dist/app/web/assets
  mkdir -p dist/app/web
  cp -Rp web/assets dist/app/web/assets
fi

bundle=dist/workflow-bundle.js
if [ ! -f "$bundle" ] || [ ! -f dist/workflow-bundle.traced.js ] ||
  [ -n "$(find dist/app -name '*.js' -newer "$bundle" -print -quit)" ]; then
  echo "build: bundling the workflows"
  node dist/app/workers/build-bundle.js "$bundle"
fi
