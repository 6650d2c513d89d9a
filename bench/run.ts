/**
 * `npm run bench`: boots a throwaway stack (own database, in-memory dev server, API and worker as
 * separate processes), then measures and writes bench/results.json and bench/results.md:
 * - POST /v1/checkouts answer latency at fixed arrival rates (10, 20, 50 requests/s);
 * - checkouts completed end to end (PAID) per second over a sustained window, and completion latency;
 * - the same figures for a baseline of the checkout's Temporal shape with no-op activities
 *   (bench/baseline), on the same dev server: start latency at the same rates, completions
 *   at the same offered rate;
 * - the capacity of both, closed-loop with the same number in flight, in alternating rounds: their
 *   ratio is checkout / baseline (what Temporal allows for this shape, and what is left of it
 *   after the checkout's real work);
 * - catalog GET /v1/products/:sku requests/s with 50 connections against a bare Hono route;
 * - a flash sale: 1000 customers after 100 units of one sku at 100/s (./flash-sale.ts);
 * - add-to-cart and cart reads with 50 connections against the bare route (./cart-load.ts);
 * - peak RSS of the API and worker processes, and every process's RSS over the run (./series.ts);
 * and draws bench/results.svg from the figures (./chart.ts; `npm run bench:chart` redraws it).
 * Every phase and capacity round starts from an empty dev server on the bench's own stack
 * (./phase-start.ts), so no figure depends on the open workflows of the phases before it.
 * A benchmark, not a test: it exits 1 only when work is lost or duplicated (an accepted order never
 * paid, a checkout of the capacity run that did not end PAID, or more provider charges than paid
 * orders).
 *
 * Options (environment): BENCH_SECONDS per answer-latency rate (default 20), BENCH_RATES (default
 * "10,20,50"), BENCH_SUSTAIN_SECONDS (default 60), BENCH_OFFERED_RATE for the sustained runs
 * (default 30), BENCH_CONCURRENCY for the capacity runs (default 50 in flight),
 * BENCH_CAPACITY_SECONDS per capacity round (default 30) and BENCH_CAPACITY_ROUNDS (default 2),
 * BENCH_CATALOG_SECONDS per catalog round (default 5), BENCH_CATALOG_ROUNDS (default 3),
 * BENCH_WORKER_ENV (JSON of worker variables, for the checkout's and the baseline's workers),
 * BENCH_WORKER_NICE (CPU niceness of both workers, default 10 as in `npm start`; 0 for none),
 * BENCH_PHASES and the flash-sale and cart knobs (./shop-phases.ts, bench/README.md).
 *
 * BENCH_API_URL=<url> measures a stack that is already running instead (`npm start`'s:
 * http://127.0.0.1:3000), with DATABASE_URL and TEMPORAL_ADDRESS naming its database and Temporal
 * server (read as the worker reads them, defaults included). The figures then go to bench/running-results.{json,md}, so
 * the reference run stays as committed; the bare-route comparison needs that API started with
 * bench/api-entry.ts, and RSS needs its processes on this machine.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chargeKey } from '../activities/payments';
import { PAID_STATUSES } from '../domain/order-statuses';
import { loadWorkerConfig } from '../workers/config';
import { ROOT, RUNS_COMPILED } from '../tooling/paths';
import { stopProcess } from '../tooling/processes';
import { Client, Connection } from '@temporalio/client';
import { baselineToCompletion, measureBaseline, measureBaselineAnswers, startBaselineWorker } from './baseline-load';
import { compareThroughput, measureThroughput } from './catalog-load';
import {
  checkoutToCompletion,
  measureAnswers,
  measureCompletion,
  waitForPaid,
  warmUp,
  type AnswerFigures,
} from './checkout-load';
import { compareCapacity } from './closed-loop';
import { DRAIN_STALL_MS } from './drain';
import { describeMachine, probeMachine } from './machine-probe';
import { phaseStart } from './phase-start';
import { tokenSigning } from '../tooling/bench-customers';
import { renderChart } from './chart';
import { renderMarkdown } from './report';
import { peakRssMiB, takePeakRssMiB } from './rss';
import { recordRss } from './series';
import { runShopPhases, selectedPhases, type ShopPhaseResults } from './shop-phases';
import { startBenchStack } from '../tooling/stack';
import { inheritedEnv } from '../tooling/stack-env';
import { loadBenchEnv } from './bench-env';
import { attachToRunningStack, type BenchTarget } from '../tooling/stack-target';

const env = loadBenchEnv();
const RATES = env.BENCH_RATES;
const SECONDS = env.BENCH_SECONDS;
const SUSTAIN_SECONDS = env.BENCH_SUSTAIN_SECONDS;
const OFFERED_RATE = env.BENCH_OFFERED_RATE;
const CONCURRENCY = env.BENCH_CONCURRENCY;
const CAPACITY_SECONDS = env.BENCH_CAPACITY_SECONDS;
const CAPACITY_ROUNDS = env.BENCH_CAPACITY_ROUNDS;
const WORKER_NICE = env.BENCH_WORKER_NICE;
const WORKER_ENV = env.BENCH_WORKER_ENV;
const CATALOG_SECONDS = env.BENCH_CATALOG_SECONDS;
const CATALOG_ROUNDS = env.BENCH_CATALOG_ROUNDS;
const CONNECTIONS = 50;
const PHASES = selectedPhases(env.BENCH_PHASES);
// The bench's own stack signs tokens with this, so the bench can sign its many customers' (./bench-customers.ts).
const JWT_SECRET = `bench-${randomUUID()}-${randomUUID()}`;

/** `a / b` to three decimals, as the ratios are reported. */
const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;
const log = (line: string): void => console.log(`[bench] ${line}`);

/** The stack to measure (the running one BENCH_API_URL names, or a fresh throwaway one), and its database. */
async function benchTarget(): Promise<BenchTarget & { databaseUrl: string }> {
  if (env.BENCH_API_URL) {
    // The processes' own configuration (and defaults) name the stack's database and Temporal.
    const config = loadWorkerConfig();
    const target = await attachToRunningStack({
      baseUrl: env.BENCH_API_URL,
      databaseUrl: config.DATABASE_URL,
      temporalAddress: config.TEMPORAL_ADDRESS,
      // Enough customers that 50 checkouts/s stay under the running API's per-customer limit
      // (CHECKOUT_RATE_LIMIT_PER_MINUTE, 60 by default): 15 a minute each.
      customers: 200,
    });
    return Object.assign(target, { databaseUrl: config.DATABASE_URL });
  }
  return startBenchStack({
    apiPort: 3190,
    temporalPort: 7390,
    customers: 50,
    workerNice: WORKER_NICE,
    apiEntry: 'bench/api-entry.ts',
    env: { ...WORKER_ENV, JWT_SECRET },
  });
}

/** Whether the API serves the bare comparison route (bench/api-entry.ts). */
async function hasBareRoute(baseUrl: string): Promise<boolean> {
  const res = await fetch(`${baseUrl}/bench/bare`).catch(() => undefined);
  return res?.status === 200;
}

async function main(): Promise<void> {
  // Before anything is started, so the reading is of the machine and not of the stack's load.
  const machine = await probeMachine();
  log(`machine: ${describeMachine(machine)}`);
  const stack = await benchTarget();
  // The setup's peak apart: logging the bench customers in is one scrypt (128 MiB) per password check.
  const setupPids = await stack.pids();
  const setupRssMiB = { api: await takePeakRssMiB(setupPids.api), worker: await takePeakRssMiB(setupPids.worker) };
  const baselineWorker = await startBaselineWorker(stack.temporalAddress, { nice: WORKER_NICE, env: WORKER_ENV });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  let lostOrDuplicated = false;
  // Every measured phase starts from an empty dev server on the bench's own stack (./phase-start.ts).
  const emptyServer = phaseStart(stack, client);
  const rss = recordRss(async () => ({ ...(await stack.pids()), baselineWorker: baselineWorker.pid }));
  let phase = 'warm-up';
  const startPhase = async (): Promise<void> => {
    await emptyServer();
    rss.phase(phase);
  };
  const shopPhases = (): Promise<ShopPhaseResults> =>
    runShopPhases(stack, {
      phases: PHASES,
      env,
      signing: tokenSigning(inheritedEnv(), env.BENCH_API_URL ? undefined : JWT_SECRET),
      databaseUrl: stack.databaseUrl,
      stallMs: DRAIN_STALL_MS,
      connections: CONNECTIONS,
      bare,
      beforePhase: async (name) => {
        phase = name;
        await startPhase();
      },
      log,
    });
  let bare = false;
  try {
    log('warming up');
    rss.phase(phase);
    await warmUp(stack, 30);
    const sku = stack.skus[0]!;
    // Both routes warmed (JIT, connection pools) before the rounds: a cold first round of either
    // would otherwise count in its median.
    bare = await hasBareRoute(stack.baseUrl);
    if (!PHASES.has('core')) {
      const shop = await shopPhases();
      await writeResults('phases-results', { date: new Date().toISOString(), ...shopResults(shop, rss.stop()) });
      if (shop.broken.length > 0) fail(shop.broken);
      return;
    }
    const routes = {
      catalog: `${stack.baseUrl}/v1/products/${sku}`,
      ...(bare ? { bareHono: `${stack.baseUrl}/bench/bare` } : {}),
    };
    for (const url of Object.values(routes)) await measureThroughput(url, CONNECTIONS, 2);

    phase = 'catalog';
    rss.phase(phase);
    log(
      `catalog: ${CONNECTIONS} connections, ${CATALOG_ROUNDS} rounds of ${CATALOG_SECONDS} s per route, taking turns`,
    );
    const measured = await compareThroughput(routes, CONNECTIONS, CATALOG_SECONDS, CATALOG_ROUNDS);
    const catalog = measured.catalog!;
    const bareHono = measured.bareHono ?? null;
    log(
      `  catalog ${catalog.rounds?.join(', ')} req/s; bare ${bareHono ? `${bareHono.rounds?.join(', ')} req/s` : 'not served (the API was not started from bench/api-entry.ts)'}`,
    );

    const answers: Record<string, Omit<AnswerFigures, 'orderIds'>> = {};
    for (const rate of RATES) {
      phase = `checkout ${rate}/s`;
      await startPhase();
      log(`checkout answers at ${rate}/s for ${SECONDS} s`);
      const { orderIds, ...figures } = await measureAnswers(stack, rate, SECONDS);
      const paid = await waitForPaid(stack, orderIds, DRAIN_STALL_MS);
      if (paid !== orderIds.length || figures.accepted !== figures.requests) lostOrDuplicated = true;
      answers[String(rate)] = figures;
      log(
        `  p50 ${figures.answerMs.p50} ms, p99 ${figures.answerMs.p99} ms, ${figures.accepted}/${figures.requests} accepted, ${paid} paid`,
      );
    }
    const baselineAnswers: Record<string, Omit<AnswerFigures, 'orderIds'>> = {};
    for (const rate of RATES) {
      phase = `baseline ${rate}/s`;
      await startPhase();
      log(`baseline starts at ${rate}/s for ${SECONDS} s`);
      const { completed, ...figures } = await measureBaselineAnswers(client, rate, SECONDS, DRAIN_STALL_MS);
      if (completed !== figures.requests) lostOrDuplicated = true;
      baselineAnswers[String(rate)] = figures;
      log(
        `  p50 ${figures.answerMs.p50} ms, p99 ${figures.answerMs.p99} ms, ${figures.accepted}/${figures.requests} started, ${completed} ended`,
      );
    }

    phase = 'checkout sustained';
    await startPhase();
    log(`checkout completion: ${OFFERED_RATE}/s offered for ${SUSTAIN_SECONDS} s`);
    const completion = await measureCompletion(stack, OFFERED_RATE, SUSTAIN_SECONDS);
    if (completion.paid !== completion.orders) lostOrDuplicated = true;
    log(`  ${completion.completedPerSec}/s completed, completion p50 ${completion.completionMs.p50} ms`);

    phase = 'baseline sustained';
    await startPhase();
    log(`baseline completion: ${OFFERED_RATE}/s offered for ${SUSTAIN_SECONDS} s`);
    const baseline = await measureBaseline(client, OFFERED_RATE, SUSTAIN_SECONDS);
    log(`  ${baseline.completedPerSec}/s completed, completion p50 ${baseline.completionMs.p50} ms`);

    // At one offered rate the faster of the two completes what it is offered, so that figure says
    // little about it: kept busy, closed-loop, each shows what it can do.
    phase = 'capacity';
    log(
      `capacity: ${CONCURRENCY} in flight, ${CAPACITY_ROUNDS} rounds of ${CAPACITY_SECONDS} s each for checkout and baseline, taking turns`,
    );
    const capacity = await compareCapacity(
      { checkout: () => checkoutToCompletion(stack, client), baseline: () => baselineToCompletion(client) },
      CONCURRENCY,
      CAPACITY_SECONDS,
      CAPACITY_ROUNDS,
      startPhase,
    );
    const checkoutCapacity = capacity.checkout!;
    const baselineCapacity = capacity.baseline!;
    if (checkoutCapacity.failed > 0 || baselineCapacity.failed > 0) lostOrDuplicated = true;
    log(
      `  checkout ${checkoutCapacity.rounds.join(', ')}/s (${checkoutCapacity.failed} failed); baseline ${baselineCapacity.rounds.join(', ')}/s (${baselineCapacity.failed} failed)`,
    );

    // The books of the bench's own orders: one provider charge per paid order, none for the others.
    const orders = await stack.db.order.findMany({
      where: { customerId: { in: stack.customerIds } },
      select: { id: true, status: true },
    });
    const paidOrders = orders.filter((o) => PAID_STATUSES.includes(o.status)).length;
    const charges = await stack.db.simPaymentCharge.count({
      where: { status: 'succeeded', idempotencyKey: { in: orders.map((o) => chargeKey(o.id)) } },
    });
    if (charges !== paidOrders || paidOrders !== orders.length) lostOrDuplicated = true;
    // After the books of the phases above (as before the new phases), the flash sale and carts keep their own.
    const shop = await shopPhases();
    const pids = await stack.pids();

    const at20 = <T>(byRate: Record<string, T>): T => byRate['20'] ?? Object.values(byRate)[0]!;
    const results = {
      date: new Date().toISOString(),
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      runtime: { compiled: RUNS_COMPILED, node: process.version },
      machine,
      checkout: {
        answerMs: at20(answers).answerMs,
        answersByRate: answers,
        completedPerSec: completion.completedPerSec,
        completion,
        capacityPerSec: checkoutCapacity.completedPerSec,
        capacity: checkoutCapacity,
      },
      baseline: {
        answerMs: at20(baselineAnswers).answerMs,
        answersByRate: baselineAnswers,
        completedPerSec: baseline.completedPerSec,
        completion: baseline,
        capacityPerSec: baselineCapacity.completedPerSec,
        capacity: baselineCapacity,
      },
      catalog,
      bareHono,
      ratio: {
        // Both saturated, measured alike: the share of Temporal's capacity for this shape that is
        // left after the checkout's real work.
        checkoutVsBaseline: ratio(checkoutCapacity.completedPerSec, baselineCapacity.completedPerSec),
        // Completions at the same offered rate: bounded by that rate for whichever is faster.
        checkoutVsBaselineAtOfferedRate: ratio(completion.completedPerSec, baseline.completedPerSec),
        catalogVsBare: bareHono ? ratio(catalog.reqPerSec, bareHono.reqPerSec) : null,
      },
      rssMiB: { api: await peakRssMiB(pids.api), worker: await peakRssMiB(pids.worker), setup: setupRssMiB },
      target: env.BENCH_API_URL ? `running stack at ${env.BENCH_API_URL}` : 'own stack',
      books: { providerCharges: charges, orders: orders.length, paidOrders, lostOrDuplicated },
      ...shopResults(shop, rss.stop()),
    };
    const out = await writeResults(env.BENCH_API_URL ? 'running-results' : 'results', results);
    const markdown = renderMarkdown(results);
    await writeFile(`${out}.md`, markdown);
    console.log(`\n${markdown}`);
    if (lostOrDuplicated) {
      console.error('[bench] LOST OR DUPLICATED WORK: see books in bench/results.json');
      process.exitCode = 1;
    }
    if (shop.broken.length > 0) fail(shop.broken);
  } catch (error) {
    // Said before the teardown: see below.
    console.error('[bench] stopped:', error);
    process.exitCode = 1;
  } finally {
    rss.stop();
    // The processes first, the client last: when a phase fails, a call the client is still
    // retrying (a drain's poll) throws from its retry timer once the connection is closed, which
    // ends this process at once; closed first, that left the stack's processes running.
    await stopProcess(baselineWorker, 10_000);
    await stack.stop();
    await connection.close();
  }
}

/** The figures of the flash-sale and cart phases, and the series of the chart, as results.json holds them. */
function shopResults(shop: ShopPhaseResults, rss: ReturnType<ReturnType<typeof recordRss>['stop']>) {
  return { flashSale: shop.flashSale, cart: shop.cart, series: { rss } };
}

/** Writes bench/<name>.json and its chart bench/<name>.svg; returns bench/<name>. */
async function writeResults(name: string, results: object): Promise<string> {
  const out = path.join(ROOT, 'bench', name);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(`${out}.json`, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(`${out}.svg`, await renderChart(results));
  log(`figures in ${path.relative(ROOT, out)}.json, chart in ${path.relative(ROOT, out)}.svg`);
  return out;
}

function fail(broken: readonly string[]): void {
  for (const b of broken) console.error(`[bench] BROKEN: ${b}`);
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
