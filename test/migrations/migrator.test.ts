/**
 * The offline migrator: applies every migration once, records it the way Prisma does, refuses an
 * edited migration, and leaves a schema every Prisma model can read.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createPrismaClient } from '../../prisma/client';
import { applyMigrations, dropDatabase, ensureDatabase, listMigrations, MIGRATIONS_DIR } from '../../prisma/migrator';
import { testEnv } from '../support/test-env';

const scratchUrl = (() => {
  const url = new URL(testEnv.databaseUrl);
  url.pathname = `${url.pathname}_migrator`;
  return url.toString();
})();

beforeAll(async () => {
  await dropDatabase(scratchUrl);
  expect(await ensureDatabase(scratchUrl)).toBe(true);
  expect(await ensureDatabase(scratchUrl)).toBe(false);
});

afterAll(async () => {
  await dropDatabase(scratchUrl);
});

test('applies each migration once and records it in _prisma_migrations with its sha256', async () => {
  const migrations = await listMigrations();
  const first = await applyMigrations(scratchUrl);
  const second = await applyMigrations(scratchUrl);

  expect(first.applied).toEqual(migrations.map((m) => m.name));
  expect(second).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name) });

  const client = new Client({ connectionString: scratchUrl });
  await client.connect();
  try {
    const rows = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    expect(rows.rows).toEqual(
      migrations.map((m) => ({ migration_name: m.name, checksum: createHash('sha256').update(m.sql).digest('hex') })),
    );
  } finally {
    await client.end();
  }
});

test('refuses to run when an applied migration was edited', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  const [first] = await listMigrations(dir);
  await appendFile(path.join(dir, first!.name, 'migration.sql'), '\n-- edited after the fact\n');
  await expect(applyMigrations(scratchUrl, dir)).rejects.toThrow(/was changed after it was applied/);
});

test('the migrated schema matches the Prisma schema: every model reads every field', async () => {
  await applyMigrations(scratchUrl);
  const db = createPrismaClient({ databaseUrl: scratchUrl, poolSize: 2 });
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
  } finally {
    await db.$disconnect();
  }
});
