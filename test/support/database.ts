import { createPrismaClient, type Db } from '../../prisma/client';
import { testEnv } from './test-env';

/** A Prisma client on the run's throwaway database, disconnected after the file's tests. */
export function useTestDatabase(): () => Db {
  let db: Db | undefined;
  beforeAll(() => {
    db = createPrismaClient({ databaseUrl: testEnv.databaseUrl, poolSize: 10 });
  });
  afterAll(async () => {
    await db?.$disconnect();
  });
  return () => {
    if (!db) throw new Error('database used outside a test');
    return db;
  };
}
