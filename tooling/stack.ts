/**
 * A throwaway stack for benchmarks and drills, isolated from `npm start`: its own database, an
 * in-memory Temporal dev server on its own port, and the worker(s) and API as separate processes
 * (as in production), on loopback only.
 *
 * The fault drills (test/faults) also point it at their private PostgreSQL and Redis, back the
 * dev server with a SQLite file so it can be restarted, and kill and restart single processes; the
 * defaults are what `npm run bench` needs. The stack has its own mail catcher on a free port, so
 * the workflows' emails are delivered (and counted) as on `npm start`, never to a developer's inbox.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createPrismaClient } from '../prisma/client';
import { applyMigrations, dropDatabase, ensureDatabase } from '../prisma/migrator';
import { buildWorkflowBundle, DEFAULT_BUNDLE_PATH } from '../workers/build-bundle';
import { ROOT, RUNS_COMPILED } from './paths';
import { startMailCatcher, type MailCatcher } from './mail-catcher';
import { freePort } from './ports';
import { inheritedEnv, loadStackEnv } from './stack-env';
import { launch, roleRuntime, stopProcess, waitForHttp } from './processes';
import { startDevServer, type DevServer } from './temporal-dev-server';
import { makeWorkersCurrent } from './worker-deployment';
import { tokenSigning } from './bench-customers';
import { BENCH_PRODUCTS, seedBenchData, type BenchTarget, type StackProduct } from './stack-target';

export type { StackProduct } from './stack-target';

export interface BenchStack extends BenchTarget {
  /** The running child of each name (`api`, `worker-1`, ...); replaced when one is restarted. */
  processes: Map<string, ChildProcess>;
  /** The stack's own database (dropped by `stop`). */
  databaseUrl: string;
  /**
   * Starts the named process (`api` or `worker-<n>`), again or anew, with the stack's environment
   * and `env` over it (the versioning drill's second build: another WORKFLOW_BUNDLE_PATH).
   */
  startProcess(name: string, env?: NodeJS.ProcessEnv): ChildProcess;
  /** Sends `signal` to the named process and resolves once it has exited. */
  killProcess(name: string, signal: NodeJS.Signals): Promise<void>;
  /** Stops the Temporal dev server (SIGTERM); with `temporalDbFile` its state survives. */
  stopTemporal(): Promise<void>;
  /** Starts the dev server again on the same port (and SQLite file). */
  startTemporal(): Promise<void>;
  /** Resolves once `/readyz` answers 200. */
  waitReady(timeoutMs: number): Promise<void>;
  /** The SMTP server the workers send to. */
  mail: MailCatcher;
}

export interface BenchStackOptions {
  apiPort: number;
  /** Entry point of the API process; default the product's own, api/server.ts. */
  apiEntry?: string;
  temporalPort: number;
  workers?: number;
  customers?: number;
  env?: Record<string, string>;
  /** Server to create the stack's database on (its database name is replaced); default DATABASE_URL's. */
  databaseUrl?: string;
  /** Name of the stack's database; default `commerce_bench_<pid>`. */
  databaseName?: string;
  /** Redis of the API; default REDIS_URL or the API's own default. */
  redisUrl?: string;
  /** SQLite file of the dev server (state survives `stopTemporal`/`startTemporal`); default in memory. */
  temporalDbFile?: string;
  /**
   * Workflow bundle to use as is when the file exists (several stacks in one run build it once);
   * default: `npm run build`'s when this process runs compiled, else one built now.
   */
  workflowBundlePath?: string;
  /** Products and their initial stock; default BENCH-A/B/C with a million units each. */
  products?: StackProduct[];
  /** CPU niceness of the worker processes (0: none); see tooling/processes.ts `nodeCommand`. */
  workerNice?: number;
  /** Where the children's output goes: a file descriptor opened for appending; default stderr only. */
  outputFd?: number;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const inherited = inheritedEnv();
  // The server of DATABASE_URL (or its default); the stack's database is its own.
  const base = new URL(options.databaseUrl ?? loadStackEnv(inherited).DATABASE_URL);
  base.pathname = `/${options.databaseName ?? `commerce_bench_${process.pid}`}`;
  const databaseUrl = base.toString();
  await dropDatabase(databaseUrl);
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  const db = createPrismaClient({ databaseUrl, poolSize: 5 });

  const bundlePath =
    options.workflowBundlePath ??
    (RUNS_COMPILED ? DEFAULT_BUNDLE_PATH : path.join(ROOT, 'dist', `bench-workflow-bundle-${process.pid}.js`));
  const prebuilt = (options.workflowBundlePath !== undefined || RUNS_COMPILED) && existsSync(bundlePath);
  const temporal = (): Promise<DevServer> =>
    startDevServer({
      port: options.temporalPort,
      ...(options.temporalDbFile === undefined ? {} : { dbFile: options.temporalDbFile }),
    });
  const mail = await startMailCatcher({ smtpPort: await freePort() });
  const [firstDevServer] = await Promise.all([
    temporal(),
    prebuilt ? Promise.resolve(0) : buildWorkflowBundle(bundlePath, { traced: false }),
  ]);
  let devServer: DevServer | undefined = firstDevServer;
  const temporalAddress = firstDevServer.address;

  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: 'production',
    // Production refuses the published development secrets: every stack gets its own.
    JWT_SECRET: `bench-${randomUUID()}-${randomUUID()}`,
    PAYMENT_WEBHOOK_SECRET: `bench-payment-${randomUUID()}`,
    CARRIER_WEBHOOK_SECRET: `bench-carrier-${randomUUID()}`,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    REDIS_KEY_PREFIX: `commerce-bench:${process.pid}:`,
    PORT: String(options.apiPort),
    HOST: '127.0.0.1',
    WORKFLOW_BUNDLE_PATH: bundlePath,
    CHECKOUT_RATE_LIMIT_PER_MINUTE: '1000000',
    // A handful of load accounts stand for many shoppers: per-customer caps would refuse the load.
    MAX_UNPAID_ORDERS_PER_CUSTOMER: '1000',
    // Several processes of one kind share this env: no fixed metrics port for them to fight over.
    METRICS_PORT: '0',
    SMTP_URL: mail.smtpUrl,
    // The simulated payment provider and carrier for the API and the workers: production refuses to
    // start without PROVIDERS.
    PROVIDERS: 'simulated',
    ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }),
    ...options.env,
  };
  const processes = new Map<string, ChildProcess>();
  const startProcess = (name: string, extraEnv: NodeJS.ProcessEnv = {}): ChildProcess => {
    const script =
      name === 'api'
        ? (options.apiEntry ?? 'api/server.ts')
        : name.startsWith('worker-')
          ? 'workers/main.ts'
          : undefined;
    if (!script) throw new Error(`unknown stack process ${name}`);
    const worker = name.startsWith('worker-');
    const { child } = launch(script, {
      ...roleRuntime(worker ? 'worker' : 'api', { ...env, ...extraEnv }),
      nice: worker ? (options.workerNice ?? 0) : 0,
      ...(options.outputFd === undefined ? {} : { output: options.outputFd }),
    });
    processes.set(name, child);
    return child;
  };
  const killProcess = (name: string, signal: NodeJS.Signals): Promise<void> =>
    new Promise<void>((resolve) => {
      const child = processes.get(name);
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  for (let i = 1; i <= (options.workers ?? 1); i++) startProcess(`worker-${i}`);
  startProcess('api');
  const baseUrl = `http://127.0.0.1:${options.apiPort}`;

  const stopTemporal = async (): Promise<void> => {
    await devServer?.stop();
    devServer = undefined;
  };
  const startTemporal = async (): Promise<void> => {
    if (!devServer) devServer = await temporal();
  };

  const stop = async (): Promise<void> => {
    await Promise.all([...processes.values()].map((child) => stopProcess(child, 10_000)));
    await stopTemporal();
    await mail.stop();
    await db.$disconnect();
    await dropDatabase(databaseUrl).catch(() => undefined);
  };

  try {
    await makeWorkersCurrent(env);
    await waitForHttp(`${baseUrl}/readyz`, 60_000);
    const seeded = await seedBenchData(
      db,
      tokenSigning(env),
      options.products ?? BENCH_PRODUCTS,
      options.customers ?? 20,
    );
    return {
      baseUrl,
      db,
      processes,
      ...seeded,
      pids: async () => ({ api: processes.get('api')?.pid, worker: processes.get('worker-1')?.pid }),
      databaseUrl,
      temporalAddress,
      startProcess,
      killProcess,
      stopTemporal,
      startTemporal,
      waitReady: (timeoutMs) => waitForHttp(`${baseUrl}/readyz`, timeoutMs),
      mail,
      ...(options.temporalDbFile === undefined
        ? {
            emptyTemporal: async () => {
              await stopTemporal();
              await startTemporal();
              // An in-memory server forgets its deployments: the running workers' build is made current again.
              await makeWorkersCurrent(env);
            },
          }
        : {}),
      stop,
    };
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
