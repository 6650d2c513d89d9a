#!/usr/bin/env bash
# Generates the Prisma client into prisma/generated (git-ignored) when the schema or lockfile changed.
# Prisma 7's CLI insists on locating a schema-engine binary even for `generate`, which never runs it;
# that binary is not downloadable here, so the variable names a harmless executable. The generated
# client itself needs no engine (it runs Prisma's WebAssembly query compiler over node-postgres).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source tooling/node-env.sh
stamp="prisma/generated/.inputs-sha256"
want="$(cat prisma/schema.prisma package-lock.json | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then exit 0; fi
if ! output="$(PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(type -P true)}" \
  npx --no-install prisma generate --config prisma/prisma.config.ts 2>&1)"; then
  echo "$output" >&2
  echo "prisma-generate: failed" >&2
  exit 1
fi
echo "$output" | grep -F "Generated Prisma Client" || true
echo "$want" > "$stamp"
