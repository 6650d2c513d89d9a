/**
 * Drives the baseline workflows (./baseline/workflows.ts) as the checkout is driven: starts at
 * fixed rates (their answer latency), at the checkout's offered rate over the same window (its
 * completions), and closed-loop for its capacity (./closed-loop.ts, alternating with the checkout).
 * Each is started as the API starts a checkout: business-shaped IDs, conflict policy FAIL, reuse
 * policy REJECT_DUPLICATE, the order's search attributes and a memo.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { orderSearchAttributes } from '../domain/search-attributes';
import { launch, roleRuntime } from '../tooling/processes';
import { inheritedEnv } from '../tooling/stack-env';
import { BASELINE_READY, BASELINE_TASK_QUEUE } from './baseline/worker';
import type { baselineCheckout } from './baseline/workflows';
import type { AnswerFigures, CompletionFigures } from './checkout-load';
import type { Outcome } from './closed-loop';
import { drain } from './drain';
import { percentiles, round, runOpenLoop } from './open-loop';
import { perSecondCounts } from './series';

export interface BaselineWorkerOptions {
  /** CPU niceness, as the checkout's workers get. */
  nice: number;
  /** Worker variables the checkout's workers get (BENCH_WORKER_ENV). */
  env: Record<string, string>;
}

export function startBaselineWorker(temporalAddress: string, options: BaselineWorkerOptions): Promise<ChildProcess> {
  const { child } = launch('bench/baseline/worker.ts', {
    // Tuned like the checkout's workers, V8 flags and malloc arenas included.
    ...roleRuntime('worker', {
      ...inheritedEnv(),
      ...options.env,
      TEMPORAL_ADDRESS: temporalAddress,
      METRICS_PORT: '0',
    }),
    nice: options.nice,
    ipc: true,
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`baseline worker exited (${code})`)));
    child.on('message', (message) => {
      if (message === BASELINE_READY) resolve(child);
    });
  });
}

function startBaseline(client: Client): Promise<WorkflowHandle<typeof baselineCheckout>> {
  const orderId = randomUUID();
  const customerId = randomUUID();
  return client.workflow.start<typeof baselineCheckout>('baselineCheckout', {
    taskQueue: BASELINE_TASK_QUEUE,
    workflowId: `baseline-${customerId}-${orderId}`,
    args: [{ orderId, customerId }],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: orderSearchAttributes(orderId, customerId, 'PENDING'),
    memo: { summary: `baseline of 1 line(s) for customer ${customerId}` },
  });
}

/** One baseline, started and awaited to its end: the closed loop's unit of work. */
export async function baselineToCompletion(client: Client): Promise<Outcome> {
  const started = performance.now();
  await (await startBaseline(client)).result();
  return { ms: performance.now() - started, ok: true };
}

/**
 * How long starting a baseline takes at `ratePerSec`, as POST /v1/checkouts is timed. Then waits
 * until every baseline it started has ended (or `stallMs` pass with none ending), as the
 * checkout's answer runs wait for their orders to be paid, so no backlog of this run spills into
 * the next measurement.
 */
export async function measureBaselineAnswers(
  client: Client,
  ratePerSec: number,
  seconds: number,
  stallMs: number,
): Promise<Omit<AnswerFigures, 'orderIds'> & { completed: number }> {
  const run = await runOpenLoop(ratePerSec, seconds, async () => {
    const started = performance.now();
    const handle = await startBaseline(client).catch(() => undefined);
    return { ms: performance.now() - started, handle };
  });
  const handles = run.results.flatMap((r) => (r.handle ? [r.handle] : []));
  let ended = 0;
  for (const h of handles)
    h.result().then(
      () => ended++,
      () => undefined,
    );
  await drain(() => ended, handles.length, stallMs);
  return {
    ratePerSec,
    seconds,
    requests: run.results.length,
    accepted: handles.length,
    achievedRatePerSec: run.achievedRatePerSec,
    answerMs: percentiles(run.results.map((r) => r.ms)),
    completed: ended,
  };
}

/** Baselines offered at `offeredPerSec` for `seconds`; completions per second are those inside the window. */
export async function measureBaseline(
  client: Client,
  offeredPerSec: number,
  seconds: number,
): Promise<CompletionFigures> {
  const windowStart = performance.now();
  const windowEnd = windowStart + seconds * 1000;
  const run = await runOpenLoop(offeredPerSec, seconds, async () => {
    const outcome = await baselineToCompletion(client);
    return { ...outcome, finished: performance.now() };
  });
  const inWindow = run.results.filter((r) => r.finished <= windowEnd).length;
  return {
    offeredPerSec,
    seconds,
    orders: run.results.length,
    paid: run.results.length,
    completedPerSec: round(inWindow / seconds),
    completionMs: percentiles(run.results.map((r) => r.ms)),
    perSecond: perSecondCounts(run.results.map((r) => r.finished - windowStart)),
  };
}
