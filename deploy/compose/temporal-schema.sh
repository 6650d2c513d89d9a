#!/bin/sh
# Creates (when missing) and migrates Temporal's two PostgreSQL databases, persistence and
# visibility, before the server starts. Runs in temporalio/admin-tools on every `docker compose up`:
# setup-schema -v 0.0 only adds the version table when absent, update-schema applies only newer
# versions, so a second run changes nothing. In Kubernetes the Helm chart's schema job does this.
set -eu

: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
PORT="${DB_PORT:-5432}"
SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

attempt=1
until nc -z "$POSTGRES_SEEDS" "$PORT"; do
  if [ "$attempt" -ge 60 ]; then echo "PostgreSQL at $POSTGRES_SEEDS:$PORT never answered" >&2; exit 1; fi
  attempt=$((attempt + 1))
  sleep 1
done

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" "$@"
}

for pair in temporal:temporal temporal_visibility:visibility; do
  db="${pair%%:*}"
  schema="${pair##*:}"
  # `create` fails when the database already exists; the schema steps below fail loudly if it
  # really is missing, so a failure here is reported and tolerated.
  sql_tool create --db "$db" || echo "database $db not created (it probably exists already)"
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$SCHEMA_ROOT/$schema/versioned"
  echo "database $db is at the latest $schema schema"
done
