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
 *
 * BENCH_API_URL=<url> measures a stack that is already running instead (`npm start`'s:
 * http://127.0.0.1:3000), with DATABASE_URL and TEMPORAL_ADDRESS naming its database and Temporal
 * server (read as the worker reads them, defaults included). The figures then go to bench/running-results.{json,md}, so
 * the reference run stays as committed; the bare-route comparison needs that API started with
 * BENCH_BARE_ROUTE=true, and RSS needs its processes on this machine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chargeKey } from '../../activities/payments';
import { PAID_STATUSES } from '../../workflows/order-statuses';
import { loadWorkerConfig } from '../../workers/config';
import { ROOT } from '../paths';
import { stopProcess } from '../processes';
import { measureBaseline, measureBaselineCapacity, startBaselineWorker } from './baseline-load';
import { compareThroughput, measureThroughput } from './catalog-load';
import { measureAnswers, measureCompletion, waitForPaid, warmUp, type AnswerFigures } from './checkout-load';
import { round } from './open-loop';
import { renderMarkdown } from './report';
import { peakRssMiB } from './rss';
import { startBenchStack } from './stack';
import { attachToRunningStack, type BenchTarget } from './target';

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

/** `a / b` to three decimals, as the ratios are reported. */
const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;
const log = (line: string): void => console.log(`[bench] ${line}`);

/** The stack to measure: the running one BENCH_API_URL names, or a fresh throwaway one. */
function benchTarget(): Promise<BenchTarget> {
  if (env.BENCH_API_URL) {
    // The processes' own configuration (and defaults) name the stack's database and Temporal.
    const config = loadWorkerConfig();
    return attachToRunningStack({
      baseUrl: env.BENCH_API_URL.replace(/\/+$/, ''),
      databaseUrl: config.DATABASE_URL,
      temporalAddress: config.TEMPORAL_ADDRESS,
      // Enough customers that 50 checkouts/s stay under the running API's per-customer limit
      // (CHECKOUT_RATE_LIMIT_PER_MINUTE, 60 by default): 15 a minute each.
      customers: 200,
    });
  }
  return startBenchStack({
    apiPort: 3190,
    temporalPort: 7390,
    customers: 50,
    workerNice: Number(env.BENCH_WORKER_NICE ?? 10),
    env: { BENCH_BARE_ROUTE: 'true', ...(env.BENCH_WORKER_ENV ? (JSON.parse(env.BENCH_WORKER_ENV) as Record<string, string>) : {}) },
  });
}

/** Whether the API serves the bare comparison route (BENCH_BARE_ROUTE=true). */
async function hasBareRoute(baseUrl: string): Promise<boolean> {
  const res = await fetch(`${baseUrl}/bench/bare`).catch(() => undefined);
  return res?.status === 200;
}

async function main(): Promise<void> {
  const stack = await benchTarget();
  const baselineWorker = await startBaselineWorker(stack.temporalAddress);
  let lostOrDuplicated = false;
  try {
    log('warming up');
    await warmUp(stack, 30);
    const sku = stack.skus[0]!;
    // Both routes warmed (JIT, connection pools) before the rounds: a cold first round of either
    // would otherwise count in its median.
    const bare = await hasBareRoute(stack.baseUrl);
    const routes = { catalog: `${stack.baseUrl}/v1/products/${sku}`, ...(bare ? { bareHono: `${stack.baseUrl}/bench/bare` } : {}) };
    for (const url of Object.values(routes)) await measureThroughput(url, CONNECTIONS, 2);

    log(`catalog: ${CONNECTIONS} connections, ${CATALOG_ROUNDS} rounds of ${CATALOG_SECONDS} s per route, taking turns`);
    const measured = await compareThroughput(routes, CONNECTIONS, CATALOG_SECONDS, CATALOG_ROUNDS);
    const catalog = measured.catalog!;
    const bareHono = measured.bareHono ?? null;
    log(`  catalog ${catalog.rounds?.join(', ')} req/s; bare ${bareHono ? `${bareHono.rounds?.join(', ')} req/s` : 'not served (BENCH_BARE_ROUTE is off)'}`);

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

    // The books of the bench's own orders: one provider charge per paid order, none for the others.
    const orders = await stack.db.order.findMany({ where: { customerId: { in: stack.customerIds } }, select: { id: true, status: true } });
    const paidOrders = orders.filter((o) => PAID_STATUSES.includes(o.status)).length;
    const charges = await stack.db.simPaymentCharge.count({ where: { status: 'succeeded', idempotencyKey: { in: orders.map((o) => chargeKey(o.id)) } } });
    if (charges !== paidOrders) lostOrDuplicated = true;
    const pids = await stack.pids();

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
        checkoutVsBaseline: ratio(completion.completedPerSec, baseline.completedPerSec),
        // The checkout's run is saturated (it completes less than offered), so this compares what each can do.
        checkoutVsBaselineCapacity: ratio(completion.completedPerSec, baselineCapacity.completedPerSec),
        catalogVsBare: bareHono ? ratio(catalog.reqPerSec, bareHono.reqPerSec) : null,
      },
      rssMiB: { api: await peakRssMiB(pids.api), worker: await peakRssMiB(pids.worker) },
      target: env.BENCH_API_URL ? `running stack at ${env.BENCH_API_URL}` : 'own stack',
      books: { providerCharges: charges, paidOrders, lostOrDuplicated },
    };
    const out = path.join(ROOT, 'bench', env.BENCH_API_URL ? 'running-results' : 'results');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(`${out}.json`, `${JSON.stringify(results, null, 2)}\n`);
    const markdown = renderMarkdown(results);
    await writeFile(`${out}.md`, markdown);
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
