/**
 * The offline migrator and the baseline: applies every migration once, records it the way Prisma
 * does, refuses an edited migration; the baseline creates exactly the schema of the migrations it
 * replaced (kept only as the fixture `fixtures/pre-baseline`) and every Prisma model can read it; a
 * database migrated before the baseline gets it recorded as applied, keeping its data and rows.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createPrismaClient } from '../../prisma/client';
import {
  applyMigrations,
  BASELINE,
  BEFORE_BASELINE,
  dropDatabase,
  ensureDatabase,
  listMigrations,
  MIGRATIONS_DIR,
} from '../../prisma/migrator';
import { createCartRepository } from '../../prisma/repositories/carts';
import { testEnv } from '../support/test-env';
import { schemaSnapshot } from './schema-snapshot';

const PRE_BASELINE_DIR = path.join(__dirname, 'fixtures', 'pre-baseline');

const scratchUrl = (suffix: string): string => {
  const url = new URL(testEnv.databaseUrl);
  url.pathname = `${url.pathname}_${suffix}`;
  return url.toString();
};
const freshUrl = scratchUrl('migrator');
const oldUrl = scratchUrl('migrator_old');

async function query<T extends object>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A database as `npm start` left it before the baseline: the twelve old migrations, and some data. */
async function migratedBeforeBaseline(databaseUrl: string): Promise<void> {
  await dropDatabase(databaseUrl);
  await ensureDatabase(databaseUrl);
  const old = await applyMigrations(databaseUrl, PRE_BASELINE_DIR);
  expect(old.applied).toEqual(BEFORE_BASELINE);
  await query(
    databaseUrl,
    `INSERT INTO users (id, email, password_hash, role) VALUES ('00000000-0000-4000-8000-000000000001', 'old@example.com', 'x', 'customer');
     INSERT INTO products (sku, name, price_cents, currency) VALUES ('OLD-MUG', 'Old mug', 1250, 'USD');
     INSERT INTO inventory (sku, on_hand) VALUES ('OLD-MUG', 5);
     INSERT INTO carts (id, customer_id) VALUES ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-000000000001');`,
  );
}

beforeAll(async () => {
  await dropDatabase(freshUrl);
  expect(await ensureDatabase(freshUrl)).toBe(true);
  expect(await ensureDatabase(freshUrl)).toBe(false);
});

afterAll(async () => {
  await dropDatabase(freshUrl);
  await dropDatabase(oldUrl);
});

test('applies each migration once, the baseline first, and records it in _prisma_migrations with its sha256', async () => {
  const migrations = await listMigrations();
  expect(migrations[0]?.name).toBe(BASELINE);
  const first = await applyMigrations(freshUrl);
  const second = await applyMigrations(freshUrl);

  expect(first).toEqual({ applied: migrations.map((m) => m.name), alreadyApplied: [], baselined: [] });
  expect(second).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name), baselined: [] });

  const rows = await query<{ migration_name: string; checksum: string }>(
    freshUrl,
    'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
  );
  expect(rows).toEqual(
    migrations.map((m) => ({ migration_name: m.name, checksum: createHash('sha256').update(m.sql).digest('hex') })),
  );
});

test('refuses to run when an applied migration was edited', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  try {
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const [first] = await listMigrations(dir);
    await appendFile(path.join(dir, first!.name, 'migration.sql'), '\n-- edited after the fact\n');
    await expect(applyMigrations(freshUrl, dir)).rejects.toThrow(/was changed after it was applied/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the baseline creates the schema of the migrations it replaced: types, columns, constraints, indexes, functions, triggers', async () => {
  await applyMigrations(freshUrl);
  await migratedBeforeBaseline(oldUrl);
  const [fresh, old] = await Promise.all([schemaSnapshot(freshUrl), schemaSnapshot(oldUrl)]);
  // Each part compared on its own, so a failure names what differs.
  for (const part of Object.keys(fresh) as (keyof typeof fresh)[]) {
    expect({ part, lines: fresh[part] }).toEqual({ part, lines: old[part] });
  }
  // The snapshot sees what schema.prisma cannot state, so the comparison covers it.
  expect(fresh.functions.map((f) => /FUNCTION public\.(\w+)\(/.exec(f)?.[1])).toEqual([
    'cart_change',
    'cart_change_line',
    'cart_view_rows',
    'record_order_event',
    'token_is_current',
  ]);
  expect(fresh.triggers).toHaveLength(8);
  expect(
    fresh.indexes.some((i) => i.includes('carts_one_open_per_customer') && i.includes("WHERE (status = 'OPEN'")),
  ).toBe(true);
});

test('the migrated schema matches the Prisma schema: every model reads every field', async () => {
  await applyMigrations(freshUrl);
  const db = createPrismaClient({ databaseUrl: freshUrl, poolSize: 2 });
  try {
    // A column missing from the migrations, or of another name, makes these queries fail.
    const models = [
      db.user,
      db.product,
      db.inventory,
      db.reservation,
      db.order,
      db.orderItem,
      db.payment,
      db.refund,
      db.shipment,
      db.checkoutRequest,
      db.webhookEvent,
      db.auditEntry,
      db.simPaymentCharge,
      db.simPaymentRefund,
      db.simCarrierLabel,
      db.cart,
      db.cartLine,
      db.notification,
      db.orderEvent,
    ] as unknown as { findFirst(): Promise<unknown> }[];
    for (const model of models) await expect(model.findFirst()).resolves.toBeNull();
    // And no table exists that no model reads (the simulators' and Prisma's bookkeeping included).
    const tables = await query<{ tablename: string }>(
      freshUrl,
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    expect(tables).toHaveLength(models.length);
  } finally {
    await db.$disconnect();
  }
});

test('a database migrated before the baseline has it recorded as applied: nothing runs, nothing is dropped', async () => {
  await migratedBeforeBaseline(oldUrl);
  const baseline = (await listMigrations()).find((m) => m.name === BASELINE)!;

  const first = await applyMigrations(oldUrl);
  expect(first.baselined).toEqual([BASELINE]);
  expect(first.applied).toEqual((await listMigrations()).map((m) => m.name).filter((n) => n !== BASELINE));
  const second = await applyMigrations(oldUrl);
  expect(second.baselined).toEqual([]);
  expect(second.alreadyApplied).toContain(BASELINE);

  // The old rows stay beside the baseline's, as Prisma's own baselining leaves them.
  const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
    oldUrl,
    `SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  expect(rows.map((r) => r.migration_name)).toEqual(expect.arrayContaining([...BEFORE_BASELINE, BASELINE]));
  expect(rows.find((r) => r.migration_name === BASELINE)).toEqual({
    migration_name: BASELINE,
    checksum: baseline.checksum,
    applied_steps_count: 0,
  });

  // The data is there, and the database functions work on it: a customer adds to their old cart.
  const db = createPrismaClient({ databaseUrl: oldUrl, poolSize: 2 });
  try {
    expect(await db.user.count()).toBe(1);
    const change = await createCartRepository(db).addItem(
      '00000000-0000-4000-8000-0000000000c1',
      { userId: '00000000-0000-4000-8000-000000000001', role: 'customer', tokenVersion: 0 },
      'OLD-MUG',
      2,
    );
    expect(change.cart.items).toEqual([expect.objectContaining({ sku: 'OLD-MUG', quantity: 2, available: 5 })]);
    expect(change.cart.subtotalCents).toBe(2500);
  } finally {
    await db.$disconnect();
  }
});

test('a database holding only some of the migrations before the baseline is refused, and left as it was', async () => {
  await migratedBeforeBaseline(oldUrl);
  const last = BEFORE_BASELINE[BEFORE_BASELINE.length - 1]!;
  await query(oldUrl, 'DELETE FROM _prisma_migrations WHERE migration_name = $1', [last]);

  await expect(applyMigrations(oldUrl)).rejects.toThrow(
    new RegExp(`does not hold exactly the migrations it replaced \\(missing: ${last}; unknown: none\\)`),
  );
  const rows = await query<{ migration_name: string }>(oldUrl, 'SELECT migration_name FROM _prisma_migrations');
  expect(rows).toHaveLength(BEFORE_BASELINE.length - 1);
  expect(rows.map((r) => r.migration_name)).not.toContain(BASELINE);
});
