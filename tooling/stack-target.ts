/**
 * What the benchmark's load needs of a stack, whoever runs it: where the API answers, its database,
 * bench customers with tokens, bench products, the Temporal address, and the API and worker pids
 * when they are on this machine. `startBenchStack` (tooling/stack.ts) boots a throwaway one;
 * `attachToRunningStack` uses one that is already up, `npm start`'s for instance.
 */
import { createPrismaClient, type Db } from '../prisma/client';
import { createCatalogRepository } from '../prisma/repositories/catalog';
import { createBenchCustomers, tokenSigning, type TokenSigning } from './bench-customers';
import { pidsMatching, waitForHttp } from './processes';
import { inheritedEnv } from './stack-env';

export interface BenchTarget {
  baseUrl: string;
  db: Db;
  /** Tokens of the bench's customers, and their ids (the books count only their orders). */
  customerTokens: string[];
  customerIds: string[];
  skus: string[];
  temporalAddress: string;
  /** The API's and first worker's pids, when they run on this machine. */
  pids(): Promise<{ api?: number | undefined; worker?: number | undefined }>;
  /**
   * Replaces the stack's in-memory dev server with an empty one on the same address (the API and
   * workers reconnect); absent when the stack's Temporal is not the bench's own to throw away.
   */
  emptyTemporal?: () => Promise<void>;
  stop(): Promise<void>;
}

export interface StackProduct {
  sku: string;
  onHand: number;
  /** Default 1000. */
  priceCents?: number;
}

export const BENCH_PRODUCTS: StackProduct[] = ['BENCH-A', 'BENCH-B', 'BENCH-C'].map((sku) => ({
  sku,
  onHand: 1_000_000,
}));

/**
 * Creates (or resets) the products and `customers` new customers with tokens signed as the API
 * signs them (./bench-customers.ts: no login, so no scrypt peak in the measured API).
 */
export async function seedBenchData(
  db: Db,
  signing: TokenSigning,
  products: readonly StackProduct[],
  customers: number,
): Promise<Pick<BenchTarget, 'customerTokens' | 'customerIds' | 'skus'>> {
  const catalog = createCatalogRepository(db);
  for (const p of products) {
    await catalog.upsertProduct({
      sku: p.sku,
      name: p.sku,
      priceCents: p.priceCents ?? 1000,
      currency: 'USD',
      initialOnHand: p.onHand,
    });
  }
  const made = await createBenchCustomers(db, signing, customers, 'bench');
  return {
    customerTokens: made.map((c) => c.token),
    customerIds: made.map((c) => c.id),
    skus: products.map((p) => p.sku),
  };
}

export interface RunningStackOptions {
  baseUrl: string;
  /** The running stack's database: the bench writes its products and customers there. */
  databaseUrl: string;
  temporalAddress: string;
  customers: number;
}

/**
 * A stack that is already up. The bench adds its BENCH-* products (reset to a million units) and
 * its customers to that stack's database and leaves them, with their orders, behind. RSS is read
 * only when the API and worker run here as `npm start` launches them.
 */
export async function attachToRunningStack(options: RunningStackOptions): Promise<BenchTarget> {
  await waitForHttp(`${options.baseUrl}/readyz`, 10_000);
  const db = createPrismaClient({ databaseUrl: options.databaseUrl, poolSize: 5 });
  try {
    const seeded = await seedBenchData(db, tokenSigning(inheritedEnv()), BENCH_PRODUCTS, options.customers);
    return {
      baseUrl: options.baseUrl,
      db,
      ...seeded,
      temporalAddress: options.temporalAddress,
      // As `npm start` (compiled) or `npm run dev` (tsx) launches them: node ... api/server.js or .ts.
      pids: async () => ({
        api: (await pidsMatching(/(^| |\/)api\/server\.[jt]s( |$)/))[0],
        worker: (await pidsMatching(/(^| |\/)workers\/main\.[jt]s( |$)/))[0],
      }),
      stop: () => db.$disconnect(),
    };
  } catch (error) {
    await db.$disconnect();
    throw error;
  }
}
