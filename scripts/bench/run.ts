/**
 * `npm run bench`: boots a throwaway stack (own database, in-memory dev server, API and worker as
 * separate processes), then measures and writes bench/results.json and bench/results.md:
 * - POST /v1/checkouts answer latency at fixed arrival rates (10, 20, 50 requests/s);
 * - checkouts completed end to end (PAID) per second over a sustained window, and completion latency;
 * - the same for a no-op baseline workflow of the checkout's shape on the same dev server;
 * - catalog GET /v1/products/:sku requests/s with 50 connections against a bare Hono route;
 * - peak RSS of the API and worker processes.
 * A benchmark, not a test: it exits 1 only when work is lost or duplicated (an accepted order never
 * paid, or more provider charges than paid orders).
 *
 * Options (environment): BENCH_SECONDS per answer-latency rate (default 20), BENCH_RATES (default
 * "10,20,50"), BENCH_SUSTAIN_SECONDS (default 60), BENCH_OFFERED_RATE for the sustained runs
 * (default 30), BENCH_BASELINE_CONCURRENCY for the baseline's closed-loop capacity run (default 50),
 * BENCH_CATALOG_SECONDS per catalog round (default 5), BENCH_CATALOG_ROUNDS (default 3),
 * BENCH_WORKER_ENV (JSON of worker variables),
 * BENCH_WORKER_NICE (CPU niceness of the worker, default 10 as in `npm start`; 0 for none).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PAID_STATUSES } from '../../workflows/order-statuses';
import { ROOT } from '../paths';
import { stopProcess } from '../processes';
import { measureBaseline, measureBaselineCapacity, startBaselineWorker } from './baseline-load';
import { compareThroughput, measureThroughput } from './catalog-load';
import { measureAnswers, measureCompletion, waitForPaid, warmUp, type AnswerFigures } from './checkout-load';
import { round } from './open-loop';
import { renderMarkdown } from './report';
import { peakRssMiB } from './rss';
import { startBenchStack } from './stack';

const env = process.env;
const RATES = (env.BENCH_RATES ?? '10,20,50').split(',').map(Number);
const SECONDS = Number(env.BENCH_SECONDS ?? 20);
const SUSTAIN_SECONDS = Number(env.BENCH_SUSTAIN_SECONDS ?? 60);
const OFFERED_RATE = Number(env.BENCH_OFFERED_RATE ?? 30);
const BASELINE_CONCURRENCY = Number(env.BENCH_BASELINE_CONCURRENCY ?? 50);
const CATALOG_SECONDS = Number(env.BENCH_CATALOG_SECONDS ?? 5);
const CATALOG_ROUNDS = Number(env.BENCH_CATALOG_ROUNDS ?? 3);
const CONNECTIONS = 50;
const CAPACITY_SECONDS = 30;

const log = (line: string): void => console.log(`[bench] ${line}`);

async function main(): Promise<void> {
  const stack = await startBenchStack({
    apiPort: 3190,
    temporalPort: 7390,
    customers: 50,
    workerNice: Number(env.BENCH_WORKER_NICE ?? 10),
    env: { BENCH_BARE_ROUTE: 'true', ...(env.BENCH_WORKER_ENV ? (JSON.parse(env.BENCH_WORKER_ENV) as Record<string, string>) : {}) },
  });
  const baselineWorker = await startBaselineWorker(stack.temporalAddress);
  let lostOrDuplicated = false;
  try {
    log('warming up');
    await warmUp(stack, 30);
    const sku = stack.skus[0]!;
    // Both routes warmed (JIT, connection pools) before the rounds: a cold first round of either
    // would otherwise count in its median.
    await measureThroughput(`${stack.baseUrl}/v1/products/${sku}`, CONNECTIONS, 2);
    await measureThroughput(`${stack.baseUrl}/bench/bare`, CONNECTIONS, 2);

    log(`catalog: ${CONNECTIONS} connections, ${CATALOG_ROUNDS} rounds of ${CATALOG_SECONDS} s per route, taking turns`);
    const { bareHono, catalog } = await compareThroughput(
      { bareHono: `${stack.baseUrl}/bench/bare`, catalog: `${stack.baseUrl}/v1/products/${sku}` },
      CONNECTIONS,
      CATALOG_SECONDS,
      CATALOG_ROUNDS,
    );
    log(`  bare ${bareHono.rounds?.join(', ')} req/s; catalog ${catalog.rounds?.join(', ')} req/s`);

    const answers: Record<string, Omit<AnswerFigures, 'orderIds'>> = {};
    for (const rate of RATES) {
      log(`checkout answers at ${rate}/s for ${SECONDS} s`);
      const { orderIds, ...figures } = await measureAnswers(stack, rate, SECONDS);
      const paid = await waitForPaid(stack, orderIds, 180_000);
      if (paid !== orderIds.length || figures.accepted !== figures.requests) lostOrDuplicated = true;
      answers[String(rate)] = figures;
      log(`  p50 ${figures.answerMs.p50} ms, p99 ${figures.answerMs.p99} ms, ${figures.accepted}/${figures.requests} accepted, ${paid} paid`);
    }

    log(`checkout completion: ${OFFERED_RATE}/s offered for ${SUSTAIN_SECONDS} s`);
    const completion = await measureCompletion(stack, OFFERED_RATE, SUSTAIN_SECONDS);
    if (completion.paid !== completion.orders) lostOrDuplicated = true;
    log(`  ${completion.completedPerSec}/s completed, completion p50 ${completion.completionMs.p50} ms`);

    log(`baseline completion: ${OFFERED_RATE}/s offered for ${SUSTAIN_SECONDS} s`);
    const baseline = await measureBaseline(stack.temporalAddress, OFFERED_RATE, SUSTAIN_SECONDS);
    log(`  ${baseline.completedPerSec}/s completed, completion p50 ${baseline.completionMs.p50} ms`);

    // The run above completes all it is offered when the baseline is faster than the checkout, so
    // its figure is the offered rate, not what the baseline can do: kept busy, it shows that.
    log(`baseline capacity: ${BASELINE_CONCURRENCY} workflows in flight for ${CAPACITY_SECONDS} s`);
    const baselineCapacity = await measureBaselineCapacity(stack.temporalAddress, BASELINE_CONCURRENCY, CAPACITY_SECONDS);
    log(`  ${baselineCapacity.completedPerSec}/s completed, completion p50 ${baselineCapacity.completionMs.p50} ms`);

    // The books: one provider charge per paid order, none for anything else.
    const [charges, paidOrders] = await Promise.all([
      stack.db.simPaymentCharge.count({ where: { status: 'succeeded' } }),
      stack.db.order.count({ where: { status: { in: [...PAID_STATUSES] } } }),
    ]);
    if (charges !== paidOrders) lostOrDuplicated = true;

    const at20 = answers['20'] ?? Object.values(answers)[0]!;
    const results = {
      date: new Date().toISOString(),
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      checkout: {
        answerMs: at20.answerMs,
        answersByRate: answers,
        completedPerSec: completion.completedPerSec,
        completion,
      },
      baseline: {
        completedPerSec: baseline.completedPerSec,
        completion: baseline,
        capacityPerSec: baselineCapacity.completedPerSec,
        capacity: baselineCapacity,
      },
      catalog,
      bareHono,
      ratio: {
        checkoutVsBaseline: Math.round((completion.completedPerSec / baseline.completedPerSec) * 1000) / 1000,
        // The checkout's run is saturated (it completes less than offered), so this compares what each can do.
        checkoutVsBaselineCapacity: Math.round((completion.completedPerSec / baselineCapacity.completedPerSec) * 1000) / 1000,
        catalogVsBare: Math.round((catalog.reqPerSec / bareHono.reqPerSec) * 1000) / 1000,
      },
      rssMiB: {
        api: await peakRssMiB(stack.processes.get('api')?.pid),
        worker: await peakRssMiB(stack.processes.get('worker-1')?.pid),
      },
      books: { providerCharges: charges, paidOrders, lostOrDuplicated },
    };
    await mkdir(path.join(ROOT, 'bench'), { recursive: true });
    await writeFile(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const markdown = renderMarkdown(results);
    await writeFile(path.join(ROOT, 'bench', 'results.md'), markdown);
    console.log(`\n${markdown}`);
    if (lostOrDuplicated) {
      console.error('[bench] LOST OR DUPLICATED WORK: see books in bench/results.json');
      process.exitCode = 1;
    }
  } finally {
    await stopProcess(baselineWorker, 10_000);
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
