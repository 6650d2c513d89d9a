/**
 * `npm run bench:sticky-cache`: what the worker's sticky cache (WORKER_MAX_CACHED_WORKFLOWS) buys
 * and costs. For each cache size it runs a worker (the product's workflow bundle) on a dev server of
 * its own, puts WORKFLOWS customer carts to sleep on their 24-hour timers (CHANGES changes each, by
 * signal-with-start as the API does), then wakes every one with one more change, as a shopper
 * coming back or a carrier's webhook wakes a sleeping shipment. It reports the heap each cached
 * workflow holds, and the CPU and time a wake takes when the workflow is in the cache against when
 * it was evicted and must be replayed from its history. Prints the figures and writes
 * bench/sticky-cache.json. Each cache size runs in a process of its own (this script again, with
 * STICKY_CACHE_SIZE, and a worker's V8 flags), so the resident memory of one is not left to the next; the load generator
 * shares that process with the worker, and its share of the CPU is the same for every cache size.
 * Workflows run in the SDK's workflow thread, whose heap the process's RSS shows and its main-thread
 * heap statistics do not.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { cartReminderWorkflowId } from '../domain/ids';
import { startDevServer } from '../tooling/temporal-dev-server';
import { ROOT, RUNS_COMPILED } from '../tooling/paths';
import { freePort } from '../tooling/ports';
import { roleRuntime } from '../tooling/processes';
import { buildWorkflowBundle, DEFAULT_BUNDLE_PATH } from '../workers/build-bundle';
import { inheritedEnv } from '../tooling/stack-env';
import { loadBenchEnv } from './bench-env';
import { signalCartChange } from './cart-signals';

const { WORKFLOWS, CHANGES, CACHE_SIZES, STICKY_CACHE_SIZE } = loadBenchEnv();
const IN_FLIGHT = 10;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Resident memory after a full collection of the main thread's heap, MiB. */
function rssMiB(): number {
  gc();
  gc();
  return process.memoryUsage().rss / 2 ** 20;
}

async function settle(worker: Worker): Promise<void> {
  for (let quiet = 0; quiet < 5;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    quiet = worker.getStatus().numInFlightWorkflowActivations === 0 ? quiet + 1 : 0;
  }
}

async function inBatches(ids: readonly string[], each: (id: string) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < ids.length; i += IN_FLIGHT) await Promise.all(ids.slice(i, i + IN_FLIGHT).map(each));
}

async function measure(client: Client, address: string, bundlePath: string, cacheSize: number) {
  const taskQueue = `sticky-cache-${cacheSize}-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath: bundlePath },
    maxCachedWorkflows: cacheSize,
    activities: {},
  });
  const running = worker.run();
  try {
    const change = (cartId: string) => signalCartChange(client, taskQueue, cartId);
    // One cart through the whole path first, so the first measured wake pays no start-up.
    const warm = randomUUID();
    await change(warm);
    await change(warm);
    await settle(worker);
    const rssBefore = rssMiB();
    const cartIds = Array.from({ length: WORKFLOWS }, () => randomUUID());
    for (let round = 0; round < CHANGES; round++) await inBatches(cartIds, change);
    await settle(worker);
    const cached = worker.getStatus().numCachedWorkflows;
    const rssSleeping = rssMiB();

    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    await inBatches(cartIds, change);
    await settle(worker);
    const wallMs = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuBefore);
    const history = await client.workflow.getHandle(cartReminderWorkflowId(cartIds[0]!)).fetchHistory();
    return {
      maxCachedWorkflows: cacheSize,
      cachedWhileSleeping: cached,
      rssMiBBeforeSleepers: Number(rssBefore.toFixed(1)),
      rssMiBWhileSleeping: Number(rssSleeping.toFixed(1)),
      rssMiBAfterWakes: Number(rssMiB().toFixed(1)),
      historyEventsAfterWake: history.events?.length ?? 0,
      wake: {
        cpuMsPerWake: Number(((cpu.user + cpu.system) / 1000 / WORKFLOWS).toFixed(2)),
        wallMsPerWake: Number((wallMs / WORKFLOWS).toFixed(2)),
        // The settle loop's quiet window (1 s) is in the wall time of every variant alike.
        wallSeconds: Number((wallMs / 1000).toFixed(1)),
      },
    };
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}

/** One cache size, in this process: prints its figures as one JSON line. */
async function variant(cacheSize: number): Promise<void> {
  // The worker's state changes would otherwise share stdout with the figures.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const bundlePath = RUNS_COMPILED
    ? DEFAULT_BUNDLE_PATH
    : path.join(ROOT, 'dist', `sticky-cache-bundle-${process.pid}.js`);
  const [server] = await Promise.all([
    startDevServer({ port: await freePort() }),
    RUNS_COMPILED ? Promise.resolve(0) : buildWorkflowBundle(bundlePath, { traced: false }),
  ]);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  try {
    console.log(JSON.stringify(await measure(client, server.address, bundlePath, cacheSize)));
  } finally {
    await connection.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  if (STICKY_CACHE_SIZE !== undefined) return variant(STICKY_CACHE_SIZE);
  const variants: unknown[] = [];
  for (const size of CACHE_SIZES) {
    // The worker runs in that process, so it gets a worker's V8 flags and environment.
    const { env, nodeFlags } = roleRuntime('worker', { ...inheritedEnv(), STICKY_CACHE_SIZE: String(size) });
    const args = [...nodeFlags, ...process.execArgv, process.argv[1]!];
    const { stdout } = await promisify(execFile)(process.execPath, args, { env });
    const figures: unknown = JSON.parse(stdout.trim().split('\n').pop()!);
    console.log(JSON.stringify(figures));
    variants.push(figures);
  }
  const result = {
    recordedAt: new Date().toISOString(),
    node: process.version,
    runtime: { compiled: RUNS_COMPILED },
    workflows: WORKFLOWS,
    changesBeforeWake: CHANGES,
    variants,
  };
  writeFileSync(path.join(ROOT, 'bench', 'sticky-cache.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
