#!/usr/bin/env bash
# `bash tooling/with-node.sh <command> [args...]`: runs the command with the project's Node.js first on
# PATH (tooling/node-env.sh): how package.json's scripts run `node`, tsc, eslint and prettier.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
exec "$@"
