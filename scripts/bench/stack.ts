/**
 * A throwaway stack for benchmarks and drills, isolated from `npm start`: its own database, an
 * in-memory Temporal dev server on its own port, and the worker(s) and API as separate processes
 * (as in production), on loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { hashPassword } from '../../api/auth/passwords';
import { createPrismaClient, type Db } from '../../prisma/client';
import { applyMigrations, dropDatabase, ensureDatabase } from '../../prisma/migrator';
import { createCatalogRepository } from '../../prisma/repositories/catalog';
import { createUserRepository } from '../../prisma/repositories/users';
import { buildWorkflowBundle } from '../../workers/build-bundle';
import { ROOT } from '../paths';
import { stopProcess } from '../processes';
import { startDevServer, type DevServer } from '../temporal-dev-server';

export interface BenchStack {
  baseUrl: string;
  db: Db;
  processes: Map<string, ChildProcess>;
  /** Tokens of `customers` fresh customers. */
  customerTokens: string[];
  skus: string[];
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  apiPort: number;
  temporalPort: number;
  workers?: number;
  customers?: number;
  env?: Record<string, string>;
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/commerce_bench_${process.pid}`;
  const databaseUrl = base.toString();
  await dropDatabase(databaseUrl);
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  const db = createPrismaClient({ databaseUrl, poolSize: 5 });

  const bundlePath = path.join(ROOT, 'dist', `bench-workflow-bundle-${process.pid}.js`);
  const [devServer] = await Promise.all([startDevServer({ port: options.temporalPort }), buildWorkflowBundle(bundlePath)]);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    JWT_SECRET: `bench-${randomUUID()}-${randomUUID()}`,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: devServer.address,
    REDIS_KEY_PREFIX: `commerce-bench:${process.pid}:`,
    PORT: String(options.apiPort),
    HOST: '127.0.0.1',
    WORKFLOW_BUNDLE_PATH: bundlePath,
    CHECKOUT_RATE_LIMIT_PER_MINUTE: '1000000',
    // Several processes of one kind share this env: no fixed metrics port for them to fight over.
    METRICS_PORT: '0',
    ...options.env,
  };
  const processes = new Map<string, ChildProcess>();
  const run = (name: string, script: string): void => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    processes.set(name, child);
  };
  for (let i = 1; i <= (options.workers ?? 1); i++) run(`worker-${i}`, 'workers/main.ts');
  run('api', 'api/server.ts');
  const baseUrl = `http://127.0.0.1:${options.apiPort}`;

  const stop = async (): Promise<void> => {
    await Promise.all([...processes.values()].map((child) => stopProcess(child, 10_000)));
    await (devServer as DevServer).stop();
    await db.$disconnect();
    await dropDatabase(databaseUrl).catch(() => undefined);
  };

  try {
    await waitFor(`${baseUrl}/readyz`, 60_000);
    const catalog = createCatalogRepository(db);
    const skus = ['BENCH-A', 'BENCH-B', 'BENCH-C'];
    for (const sku of skus) await catalog.upsertProduct({ sku, name: sku, priceCents: 1000, currency: 'USD', initialOnHand: 1_000_000 });
    const users = createUserRepository(db);
    const customerTokens: string[] = [];
    for (let i = 0; i < (options.customers ?? 20); i++) {
      const id = randomUUID();
      const email = `bench-${id}@bench.example`;
      await users.upsertUser({ id, email, role: 'customer', passwordHash: await hashPassword('bench-password') });
      const res = await fetch(`${baseUrl}/v1/auth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: 'bench-password' }),
      });
      customerTokens.push(((await res.json()) as { accessToken: string }).accessToken);
    }
    return { baseUrl, db, processes, customerTokens, skus, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Percentile of sorted `values` (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
