/**
 * `node dist/app/bench/cpu-split.js` (after `npm run build`): where the CPU of one checkout goes.
 * Runs checkouts at BENCH_RATE/s for BENCH_SECONDS against a bench stack, waits until all are
 * paid, and prints the CPU milliseconds per checkout spent by the API, the worker, the Temporal
 * dev server and PostgreSQL (from /proc: utime + stime). A tuning aid for `npm run bench`, not part
 * of it.
 */
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pidsMatching } from '../tooling/processes';
import { measureAnswers, waitForPaid, warmUp } from './checkout-load';
import { DRAIN_STALL_MS } from './drain';
import { describeMachine, probeMachine } from './machine-probe';
import { peakRssMiB } from './rss';
import { startBenchStack } from '../tooling/stack';

const TICKS_PER_SECOND = 100;

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

async function main(): Promise<void> {
  const rate = Number(process.env.BENCH_RATE ?? 10);
  const seconds = Number(process.env.BENCH_SECONDS ?? 30);
  const machine = await probeMachine();
  console.log(`machine: ${describeMachine(machine)}`);
  const stack = await startBenchStack({
    apiPort: 3191,
    temporalPort: 7391,
    // BENCH_LOG=<file>: the processes' output goes there (to see what they log under load).
    ...(process.env.BENCH_LOG ? { outputFd: openSync(process.env.BENCH_LOG, 'a') } : {}),
    env: process.env.BENCH_WORKER_ENV ? (JSON.parse(process.env.BENCH_WORKER_ENV) as Record<string, string>) : {},
  });
  try {
    await warmUp(stack, 20);
    const groups: Record<string, number[]> = {
      api: [stack.processes.get('api')!.pid!],
      worker: [stack.processes.get('worker-1')!.pid!],
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
    const answers = await measureAnswers(stack, rate, seconds);
    const paid = await waitForPaid(stack, answers.orderIds, DRAIN_STALL_MS);
    const elapsed = (Date.now() - started) / 1000;
    groups.postgres = await pidsMatching(/^postgres: /);
    const after = await sample();
    const self = process.cpuUsage(selfBefore);
    console.log(
      `${answers.orderIds.length} checkouts at ${rate}/s, all ${paid} paid after ${elapsed.toFixed(1)} s; answer p50 ${answers.answerMs.p50} ms p99 ${answers.answerMs.p99} ms`,
    );
    console.log(
      `peak RSS: api ${await peakRssMiB(groups.api![0])} MiB, worker ${await peakRssMiB(groups.worker![0])} MiB`,
    );
    for (const k of Object.keys(groups)) {
      console.log(
        `${k.padEnd(9)} ${((after[k]! - before[k]!) / answers.orderIds.length).toFixed(1)} CPU ms per checkout`,
      );
    }
    const selfMs = (self.user + self.system) / 1000;
    console.log(
      `bench     ${(selfMs / answers.orderIds.length).toFixed(1)} CPU ms per checkout (load and mail catcher)`,
    );
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
