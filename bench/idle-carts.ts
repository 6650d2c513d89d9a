/**
 * `npm run bench:idle-carts`: what idle abandoned-cart timers cost the Temporal server. Starts a
 * dev server of its own and one worker (the product's workflow bundle and sticky-cache size), puts
 * CARTS customer carts through CHANGES changes each with signal-with-start (as the API does), then
 * measures, while they all wait on their 24-hour timers: the server's CPU over an idle window
 * (against the same window before the carts existed), its resident memory, the worker's cache, and
 * one cart's history. Prints the figures and writes bench/idle-carts.json.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { cartReminderWorkflowId } from '../domain/ids';
import { signalCartChange } from './cart-signals';
import { startDevServer } from '../tooling/temporal-dev-server';
import { ROOT, RUNS_COMPILED } from '../tooling/paths';
import { freePort } from '../tooling/ports';
import { buildWorkflowBundle, DEFAULT_BUNDLE_PATH } from '../workers/build-bundle';
import { workerEnvSchema } from '../workers/config';
import { loadBenchEnv } from './bench-env';

const { CARTS, CHANGES, IDLE_WINDOW_MS } = loadBenchEnv();
/** Idle windows measured one after the other once the carts wait: shows whether the cost decays. */
const IDLE_WINDOWS = 3;
const TASK_QUEUE = 'idle-carts';
const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.replace(/\D/g, '') ?? 0) / 1024);
}

/** CPU seconds the server used in an idle window of IDLE_WINDOW_MS. */
async function idleCpu(pid: number): Promise<number> {
  const before = cpuSeconds(pid);
  await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
  return cpuSeconds(pid) - before;
}

async function main(): Promise<void> {
  const bundlePath = RUNS_COMPILED
    ? DEFAULT_BUNDLE_PATH
    : path.join(ROOT, 'dist', `idle-carts-bundle-${process.pid}.js`);
  const [server] = await Promise.all([
    startDevServer({ port: await freePort() }),
    RUNS_COMPILED ? Promise.resolve(0) : buildWorkflowBundle(bundlePath, { traced: false }),
  ]);
  const pid = server.process.pid;
  if (pid === undefined) throw new Error('the dev server has no pid');
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const workerConnection = await NativeConnection.connect({ address: server.address });
  const maxCachedWorkflows = workerEnvSchema.shape.WORKER_MAX_CACHED_WORKFLOWS.parse(undefined);
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { codePath: bundlePath },
    maxCachedWorkflows,
    // Nothing of theirs runs while the carts wait: a reminder that fired would need these.
    activities: {},
  });
  const running = worker.run();
  try {
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // settle after start-up
    const rssBefore = rssMiB(pid);
    const cpuIdleBefore = await idleCpu(pid);

    const cartIds = Array.from({ length: CARTS }, () => randomUUID());
    const startedAt = Date.now();
    const change = (cartId: string) => signalCartChange(client, TASK_QUEUE, cartId);
    for (let round = 0; round < CHANGES; round++) {
      for (let i = 0; i < cartIds.length; i += 50) await Promise.all(cartIds.slice(i, i + 50).map(change));
    }
    const changesPerSec = Math.round((CARTS * CHANGES) / ((Date.now() - startedAt) / 1000));
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // let the last workflow tasks finish

    const cpuIdleAfter: number[] = [];
    for (let i = 0; i < IDLE_WINDOWS; i++) cpuIdleAfter.push(Number((await idleCpu(pid)).toFixed(2)));
    const rssAfter = rssMiB(pid);
    const status = worker.getStatus();
    const history = await client.workflow.getHandle(cartReminderWorkflowId(cartIds[0]!)).fetchHistory();
    const historyEvents = history.events?.length ?? 0;
    const historyBytes = JSON.stringify(history).length;
    let runningCarts = 0;
    for await (const _ of client.workflow.list({
      query: 'WorkflowType="cartReminder" AND ExecutionStatus="Running"',
    })) {
      runningCarts++;
    }

    const result = {
      recordedAt: new Date().toISOString(),
      carts: CARTS,
      changesPerCart: CHANGES,
      idleWindowSeconds: IDLE_WINDOW_MS / 1000,
      changesPerSec,
      runningCartWorkflows: runningCarts,
      server: {
        rssMiBBefore: rssBefore,
        rssMiBAfter: rssAfter,
        rssKiBPerIdleCart: Math.round(((rssAfter - rssBefore) * 1024) / CARTS),
        cpuSecondsIdleWindowBefore: Number(cpuIdleBefore.toFixed(2)),
        cpuSecondsIdleWindowsAfter: cpuIdleAfter,
      },
      worker: {
        maxCachedWorkflows,
        cachedWorkflows: status.numCachedWorkflows,
        inFlightActivations: status.numInFlightWorkflowActivations,
      },
      oneCart: { historyEvents, historyBytes },
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(path.join(ROOT, 'bench', 'idle-carts.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    worker.shutdown();
    await running;
    await workerConnection.close();
    await connection.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
