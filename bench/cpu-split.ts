/**
 * `node dist/app/bench/cpu-split.js` (after `npm run build`): where the CPU of one checkout goes.
 * Runs checkouts at BENCH_RATE/s for BENCH_SECONDS against a bench stack, waits until all are
 * paid, and prints the CPU milliseconds per checkout spent by the API, the worker, the Temporal
 * dev server, PostgreSQL and this process (the load generator and the stack's mail catcher), from
 * /proc: utime + stime. BENCH_SHAPE=baseline does the same for the baseline workflow (the
 * checkout's Temporal shape with no-op activities, ./baseline/workflows.ts), started as the bench
 * starts it, so the two can be set side by side process by process. Both shapes' workers run at
 * BENCH_WORKER_NICE (the bench's default, as `npm start`; 0 as this tool's earlier figures were
 * taken). Every knob and its one default: ./bench-env.ts. A tuning aid for `npm run bench`, not part of it.
 */
import type { ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { pidsMatching } from '../tooling/processes';
import { measureBaselineAnswers, startBaselineWorker } from './baseline-load';
import { measureAnswers, waitForPaid, warmUp } from './checkout-load';
import { DRAIN_STALL_MS } from './drain';
import { describeMachine, probeMachine } from './machine-probe';
import { peakRssMiB } from './rss';
import { startBenchStack } from '../tooling/stack';
import { loadBenchEnv } from './bench-env';

const TICKS_PER_SECOND = 100;

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

interface Load {
  /** The worker that runs this shape's workflows. */
  workerPid: number;
  /** Sends the load and waits until it has ended; the units sent and those that ended. */
  run(rate: number, seconds: number): Promise<{ sent: number; ended: number; answerMs: { p50: number; p99: number } }>;
}

async function main(): Promise<void> {
  const env = loadBenchEnv();
  const { BENCH_RATE: rate, BENCH_SECONDS: seconds, BENCH_SHAPE: shape, BENCH_WORKER_NICE: workerNice } = env;
  const machine = await probeMachine();
  console.log(`machine: ${describeMachine(machine)}`);
  const workerEnv = env.BENCH_WORKER_ENV;
  const stack = await startBenchStack({
    apiPort: 3191,
    temporalPort: 7391,
    // BENCH_LOG=<file>: the processes' output goes there (to see what they log under load).
    ...(env.BENCH_LOG ? { outputFd: openSync(env.BENCH_LOG, 'a') } : {}),
    env: workerEnv,
    workerNice,
  });
  let baselineWorker: ChildProcess | undefined;
  let connection: Connection | undefined;
  try {
    let load: Load;
    if (shape === 'checkout') {
      await warmUp(stack, 20);
      load = {
        workerPid: stack.processes.get('worker-1')!.pid!,
        async run(r, s) {
          const answers = await measureAnswers(stack, r, s);
          const ended = await waitForPaid(stack, answers.orderIds, DRAIN_STALL_MS);
          return { sent: answers.orderIds.length, ended, answerMs: answers.answerMs };
        },
      };
    } else {
      baselineWorker = await startBaselineWorker(stack.temporalAddress, { nice: workerNice, env: workerEnv });
      connection = await Connection.connect({ address: stack.temporalAddress });
      const client = new Client({ connection });
      await measureBaselineAnswers(client, 10, 2, DRAIN_STALL_MS);
      load = {
        workerPid: baselineWorker.pid!,
        async run(r, s) {
          const figures = await measureBaselineAnswers(client, r, s, DRAIN_STALL_MS);
          return { sent: figures.accepted, ended: figures.completed, answerMs: figures.answerMs };
        },
      };
    }
    const groups: Record<string, number[]> = {
      api: [stack.processes.get('api')!.pid!],
      worker: [load.workerPid],
      temporal: await pidsMatching(/temporal server start-dev .*--port 7391/),
      postgres: await pidsMatching(/^postgres: /),
    };
    const sample = async (): Promise<Record<string, number>> =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(groups).map(
            async ([k, pids]) => [k, (await Promise.all(pids.map(cpuMs))).reduce((a, b) => a + b, 0)] as const,
          ),
        ),
      );
    const before = await sample();
    // This process: the load generator and the stack's mail catcher, which share the machine too.
    const selfBefore = process.cpuUsage();
    const started = Date.now();
    const result = await load.run(rate, seconds);
    const elapsed = (Date.now() - started) / 1000;
    groups.postgres = await pidsMatching(/^postgres: /);
    const after = await sample();
    const self = process.cpuUsage(selfBefore);
    console.log(
      `${result.sent} ${shape}s at ${rate}/s, ${result.ended} ended after ${elapsed.toFixed(1)} s; answer p50 ${result.answerMs.p50} ms p99 ${result.answerMs.p99} ms`,
    );
    console.log(
      `peak RSS: api ${await peakRssMiB(groups.api![0])} MiB, worker ${await peakRssMiB(groups.worker![0])} MiB`,
    );
    for (const k of Object.keys(groups)) {
      console.log(`${k.padEnd(9)} ${((after[k]! - before[k]!) / result.sent).toFixed(1)} CPU ms per ${shape}`);
    }
    const selfMs = (self.user + self.system) / 1000;
    console.log(`bench     ${(selfMs / result.sent).toFixed(1)} CPU ms per ${shape} (load and mail catcher)`);
  } finally {
    await connection?.close();
    baselineWorker?.kill('SIGTERM');
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
