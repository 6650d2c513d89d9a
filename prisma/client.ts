import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, Prisma } from './generated/client';

export { Prisma, PrismaClient };
export type Db = PrismaClient;
/** Either the process-wide client or the client of an open interactive transaction. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

export interface PrismaOptions {
  databaseUrl: string;
  /** Connections in this process's pool; one pool per process, shared by every repository. */
  poolSize?: number;
}

export function createPrismaClient({ databaseUrl, poolSize = 10 }: PrismaOptions): PrismaClient {
  // Prisma 7's query compiler runs in-process over node-postgres: no engine binary at run time.
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize });
  return new PrismaClient({ adapter });
}

/**
 * Runs `fn` atomically. A repository method that needs several statements to be atomic calls this;
 * when the caller already holds a transaction, the work joins it, so activities can compose
 * repository calls into one transaction. Prisma 7's transaction client has a `$transaction` of its
 * own (a SAVEPOINT and its RELEASE: two more round trips, and nothing gained here), so the process
 * client is told apart by `$connect`, which only it has.
 */
export function inTransaction<T>(client: DbClient, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return '$connect' in client ? client.$transaction(fn) : fn(client);
}
