/**
 * Applies prisma/migrations offline and records them in Prisma's own `_prisma_migrations` table.
 *
 * Why this exists instead of `prisma migrate deploy`: Prisma 7's migrate commands download a native
 * schema-engine binary at run time, and this project must run where only package registries are
 * reachable. The bookkeeping (table shape, sha256 checksum of migration.sql, one row per migration)
 * is Prisma's, so a database migrated here is accepted by a stock `prisma migrate deploy` later, and
 * vice versa. A PostgreSQL advisory lock makes concurrent runs (several workers starting at once)
 * wait for each other instead of racing.
 *
 * prisma/migrations starts with one baseline that creates the whole schema. Databases migrated before
 * it exist (every developer's `commerce` database of `npm start`): see `baselineIfMigratedBefore`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
const LOCK_KEY = 72_707_369; // arbitrary constant shared by every migrator process

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
  /** The baseline, when this run recorded it as applied to a database migrated before it. */
  baselined: string[];
}

/** The migration that creates the whole schema; everything after it is a change to it. */
export const BASELINE = '20261208000000_baseline';

/**
 * The migrations the baseline replaced, all recorded in a database created before it. Their SQL
 * left the repository (test/migrations keeps it as a fixture, to prove the two schemas equal).
 */
export const BEFORE_BASELINE: readonly string[] = [
  '20261122000000_init',
  '20261122070000_order_restocked_at',
  '20261202090000_carts',
  '20261202100000_notifications',
  '20261203090000_money_bounds',
  '20261203093000_checkout_requests',
  '20261203100000_user_token_version',
  '20261203110000_webhook_relayed_at',
  '20261203120000_order_events',
  '20261203180000_cart_change_line',
  '20261203190000_cart_change_line_actor',
  '20261204020000_cart_change_answers',
];

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<{ name: string; sql: string; checksum: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = await listMigrations(dir);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const done = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const recorded = new Map(done.rows.map((r) => [r.migration_name, r.checksum]));
    const result: MigrationResult = { applied: [], alreadyApplied: [], baselined: [] };
    const baseline = migrations.find((m) => m.name === BASELINE);
    if (baseline && (await baselineIfMigratedBefore(client, recorded, baseline.checksum))) {
      recorded.set(BASELINE, baseline.checksum);
      result.baselined.push(BASELINE);
    }
    for (const m of migrations) {
      const checksum = recorded.get(m.name);
      if (checksum !== undefined) {
        if (result.baselined.includes(m.name)) continue;
        if (checksum !== m.checksum) {
          throw new Error(`migration ${m.name} was changed after it was applied; add a new migration instead`);
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      // Each migration and its bookkeeping row commit together: a crash leaves it wholly unapplied.
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/**
 * Prisma's baselining ("mark the baseline as applied", `prisma migrate resolve --applied`), done
 * here so that no developer has to: a database whose finished migrations are exactly the ones the
 * baseline replaced already holds the baseline's schema (test/migrations compares the two), so the
 * baseline is recorded as applied, without running it, and nothing is dropped (the old rows stay,
 * as Prisma's own squash-and-resolve leaves them; this migrator ignores rows of migrations it does
 * not have).
 * Any other mix of old migrations (some missing, one failed) is a database the baseline cannot
 * vouch for: it is refused with what to do instead of failing halfway through the baseline's SQL.
 * True when it recorded the baseline.
 */
async function baselineIfMigratedBefore(
  client: Client,
  recorded: ReadonlyMap<string, string>,
  checksum: string,
): Promise<boolean> {
  if (recorded.has(BASELINE)) return false;
  const old = BEFORE_BASELINE.filter((name) => recorded.has(name));
  if (old.length === 0) return false;
  if (old.length !== BEFORE_BASELINE.length || recorded.size !== BEFORE_BASELINE.length) {
    const missing = BEFORE_BASELINE.filter((name) => !recorded.has(name));
    const unknown = [...recorded.keys()].filter((name) => !BEFORE_BASELINE.includes(name));
    throw new Error(
      `the database was migrated before ${BASELINE} but does not hold exactly the migrations it replaced ` +
        `(missing: ${missing.join(', ') || 'none'}; unknown: ${unknown.join(', ') || 'none'}); ` +
        'drop it and run `npm run db:setup` again (dev data is re-seeded), or restore it from a backup',
    );
  }
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, applied_steps_count)
     VALUES ($1, $2, now(), $3, $4, 0)`,
    [
      randomUUID(),
      checksum,
      BASELINE,
      `recorded as applied: the database held ${BEFORE_BASELINE.length} migrations it replaced`,
    ],
  );
  return true;
}

/** Creates the database named in `databaseUrl` when it does not exist yet; true when it created it. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  return withMaintenanceClient(databaseUrl, async (admin, name) => {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
      return true;
    } catch (error) {
      // Two processes creating the same database at once: the loser sees duplicate_database (42P04).
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
  });
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  await withMaintenanceClient(databaseUrl, (admin, name) =>
    admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

/** CREATE/DROP DATABASE cannot run inside the target database: connect to `postgres` instead. */
async function withMaintenanceClient<T>(
  databaseUrl: string,
  fn: (admin: Client, name: string) => Promise<T>,
): Promise<T> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  // The name is interpolated into DDL (identifiers cannot be bound parameters), so allow only safe ones.
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsupported database name "${name}"`);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    return await fn(admin, name);
  } finally {
    await admin.end();
  }
}
