/**
 * Drives the baseline workflow at the same offered rate and window as the checkout's completion run:
 * starts are sent open-loop from this process, completion is each workflow's result.
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

export async function measureBaseline(temporalAddress: string, offeredPerSec: number, seconds: number): Promise<CompletionFigures> {
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  try {
    const windowEnd = performance.now() + seconds * 1000;
    const run = await runOpenLoop(offeredPerSec, seconds, async () => {
      const started = performance.now();
      await client.workflow.execute<typeof baselineCheckout>('baselineCheckout', { taskQueue: BASELINE_TASK_QUEUE, workflowId: `baseline-${randomUUID()}` });
      const finished = performance.now();
      return { ms: finished - started, finished };
    });
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
