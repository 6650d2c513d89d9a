/**
 * `npm run db:setup`: creates the database when missing, applies migrations, seeds dev data.
 * Also used by `npm start`. Flags: --no-seed.
 */
import { createPrismaClient } from '../prisma/client';
import { applyMigrations, ensureDatabase } from '../prisma/migrator';
import { seedDevData } from '../prisma/seed';
import { loadWorkerConfig } from '../workers/config';

export async function setUpDatabase(databaseUrl: string, { seed = true } = {}): Promise<void> {
  if (await ensureDatabase(databaseUrl)) console.log(`db: created database ${new URL(databaseUrl).pathname.slice(1)}`);
  const { applied, alreadyApplied, baselined } = await applyMigrations(databaseUrl);
  for (const name of baselined) console.log(`db: ${name} recorded as applied (the database already held its schema)`);
  console.log(`db: ${applied.length} migration(s) applied, ${alreadyApplied.length} already in place`);
  if (!seed) return;
  const db = createPrismaClient({ databaseUrl, poolSize: 2 });
  try {
    const counts = await seedDevData(db);
    console.log(`db: seeded ${counts.users} users and ${counts.products} products`);
  } finally {
    await db.$disconnect();
  }
}

if (require.main === module) {
  setUpDatabase(loadWorkerConfig().DATABASE_URL, { seed: !process.argv.includes('--no-seed') }).catch(
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
