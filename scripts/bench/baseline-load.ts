/**
 * Drives the baseline workflow at the same offered rate and window as the checkout's completion run
 * (starts sent open-loop from this process, completion is each workflow's result), and measures its
 * capacity closed-loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ROOT } from '../paths';
import { nodeCommand } from '../processes';
import { BASELINE_TASK_QUEUE } from './baseline/worker';
import type { baselineCheckout } from './baseline/workflows';
import type { CompletionFigures } from './checkout-load';
import { percentiles, round, runOpenLoop } from './open-loop';

export function startBaselineWorker(temporalAddress: string): Promise<ChildProcess> {
  const child = spawn(...nodeCommand('scripts/bench/baseline/worker.ts'), {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: temporalAddress },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`baseline worker exited (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('baseline worker running')) resolve(child);
    });
  });
}

/** Runs one baseline workflow to completion; resolves with its latency and when it finished. */
async function runBaseline(client: Client): Promise<{ ms: number; finished: number }> {
  const started = performance.now();
  await client.workflow.execute<typeof baselineCheckout>('baselineCheckout', { taskQueue: BASELINE_TASK_QUEUE, workflowId: `baseline-${randomUUID()}` });
  const finished = performance.now();
  return { ms: finished - started, finished };
}

export async function measureBaseline(temporalAddress: string, offeredPerSec: number, seconds: number): Promise<CompletionFigures> {
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  try {
    const windowEnd = performance.now() + seconds * 1000;
    const run = await runOpenLoop(offeredPerSec, seconds, () => runBaseline(client));
    const inWindow = run.results.filter((r) => r.finished <= windowEnd).length;
    return {
      offeredPerSec,
      seconds,
      orders: run.results.length,
      paid: run.results.length,
      completedPerSec: round(inWindow / seconds),
      completionMs: percentiles(run.results.map((r) => r.ms)),
    };
  } finally {
    await connection.close();
  }
}

export interface CapacityFigures {
  concurrency: number;
  seconds: number;
  completedPerSec: number;
  completionMs: ReturnType<typeof percentiles>;
}

/**
 * What the baseline sustains: `concurrency` clients each run one workflow after another for
 * `seconds`. Closed loop on purpose: offered far beyond capacity open-loop, the dev server's backlog
 * grew until tasks timed out and were retried, and the same run measured anywhere from 27 to 86/s.
 */
export async function measureBaselineCapacity(temporalAddress: string, concurrency: number, seconds: number): Promise<CapacityFigures> {
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  try {
    const windowEnd = performance.now() + seconds * 1000;
    const results: { ms: number; finished: number }[] = [];
    const loop = async (): Promise<void> => {
      while (performance.now() < windowEnd) results.push(await runBaseline(client));
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return {
      concurrency,
      seconds,
      completedPerSec: round(results.filter((r) => r.finished <= windowEnd).length / seconds),
      completionMs: percentiles(results.map((r) => r.ms)),
    };
  } finally {
    await connection.close();
  }
}
