/** The results table of `npm run bench` (bench/results.md), from the figures of one run. */
import { describeMachine, type MachineProbe } from './machine-probe';
import type { Percentiles } from './open-loop';

type Answers = Record<
  string,
  { answerMs: Percentiles; accepted: number; requests: number; achievedRatePerSec: number }
>;
interface Capacity {
  concurrency: number;
  seconds: number;
  rounds: number[];
  completionMs: Percentiles;
}

export interface BenchResults {
  date: string;
  cores: number;
  cpu: string;
  machine: MachineProbe;
  checkout: {
    answersByRate: Answers;
    completedPerSec: number;
    completion: { offeredPerSec: number; seconds: number; completionMs: Percentiles };
    capacityPerSec: number;
    capacity: Capacity;
  };
  baseline: {
    answersByRate: Answers;
    completedPerSec: number;
    completion: { offeredPerSec: number; completionMs: Percentiles };
    capacityPerSec: number;
    capacity: Capacity;
  };
  catalog: { reqPerSec: number; latencyP99Ms: number; rounds?: number[] };
  /** Null when the measured API does not serve the bare route. */
  bareHono: { reqPerSec: number; latencyP99Ms: number; rounds?: number[] } | null;
  ratio: { checkoutVsBaseline: number; checkoutVsBaselineAtOfferedRate: number; catalogVsBare: number | null };
  /** NaN when the process is not on this machine. */
  rssMiB: { api: number; worker: number };
  target: string;
  runtime?: { compiled: boolean; node: string };
  /** Absent when the run left the phase out (BENCH_PHASES). */
  flashSale?: {
    units: number;
    customers: number;
    offeredPerSec: number;
    paid: number;
    outOfStock: number;
    otherOutcomes: number;
    oversold: number;
    answerMs: Percentiles;
    sellOutSeconds: number | null;
    allLosersFailedSeconds: number | null;
  } | null;
  cart?: {
    connections: number;
    addReqPerSec: number;
    addP99Ms: number;
    readReqPerSec: number;
    readP99Ms: number;
    bare: { reqPerSec: number } | null;
  } | null;
}

/** issue 19's targets, checked in the table. */
export const TARGETS = {
  checkoutVsBaseline: 0.85,
  catalogVsBare: 0.6,
  rssMiB: { api: 150, worker: 300 },
  cartAddReqPerSec: 1500,
} as const;

/** "median of the rounds 29100 / 30200 / 31000; " when there were rounds. */
const rounds = (figures: { rounds?: number[] }): string =>
  figures.rounds ? `median of the rounds ${figures.rounds.join(' / ')}; ` : '';
const mib = (value: number): string => (Number.isNaN(value) ? 'n/a (not on this machine)' : `${value} MiB`);
const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');

export function renderMarkdown(r: BenchResults): string {
  const at20 = r.checkout.answersByRate['20'];
  const answerRows = (what: string, answers: Answers, target: boolean): string[] =>
    Object.entries(answers).map(
      ([rate, a]) =>
        `| ${what} answer at ${rate}/s (sent ${a.achievedRatePerSec}/s) | p50 ${a.answerMs.p50} ms, p90 ${a.answerMs.p90} ms, p99 ${a.answerMs.p99} ms | ${target && rate === '20' ? `p50 <= 50 ms, p99 <= 250 ms: ${verdict(a.answerMs.p50 <= 50 && a.answerMs.p99 <= 250)}` : ''} |`,
    );
  const capacityRow = (what: string, perSec: number, k: Capacity): string =>
    `| ${what} capacity, ${k.concurrency} in flight (closed loop), ${k.rounds.length} rounds of ${k.seconds / k.rounds.length} s | ${perSec}/s (rounds ${k.rounds.join(' / ')}); completion p50 ${k.completionMs.p50} ms, p99 ${k.completionMs.p99} ms | |`;
  const c = r.checkout.completion;
  return [
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.cores} cores (${r.cpu}), ${r.target === 'own stack' ? 'dev server in memory and emptied before each phase, 1 worker, 1 API process' : `against the ${r.target} (its Temporal shared by every phase; each waits for the shipments before it to start)`}.`,
    '',
    `Machine probe before the run: ${describeMachine(r.machine)} (bench/machine-probe.ts).`,
    '',
    '| Figure | Result | Target |',
    '| --- | --- | --- |',
    ...answerRows('POST /v1/checkouts', r.checkout.answersByRate, true),
    ...answerRows('Baseline start (Temporal client)', r.baseline.answersByRate, false),
    `| Checkouts completed (PAID) per second, ${c.offeredPerSec}/s offered for ${c.seconds} s | ${r.checkout.completedPerSec}/s; completion p50 ${c.completionMs.p50} ms, p99 ${c.completionMs.p99} ms | >= 20/s: ${verdict(r.checkout.completedPerSec >= 20)} |`,
    `| Baseline (checkout's Temporal shape, no-op activities), ${r.baseline.completion.offeredPerSec}/s offered | ${r.baseline.completedPerSec}/s; completion p50 ${r.baseline.completion.completionMs.p50} ms, p99 ${r.baseline.completion.completionMs.p99} ms | |`,
    capacityRow('Checkout', r.checkout.capacityPerSec, r.checkout.capacity),
    capacityRow('Baseline', r.baseline.capacityPerSec, r.baseline.capacity),
    `| Checkout / baseline, capacities (both saturated) | ${r.ratio.checkoutVsBaseline} | >= ${TARGETS.checkoutVsBaseline}: ${verdict(r.ratio.checkoutVsBaseline >= TARGETS.checkoutVsBaseline)} |`,
    `| Checkout / baseline, completions at the same offered rate | ${r.ratio.checkoutVsBaselineAtOfferedRate} | (bounded by the offered rate) |`,
    `| GET /v1/products/:sku, 50 connections | ${r.catalog.reqPerSec} req/s (${rounds(r.catalog)}p99 ${r.catalog.latencyP99Ms} ms) | >= 5000: ${verdict(r.catalog.reqPerSec >= 5000)} |`,
    r.bareHono
      ? `| Bare Hono route, same process | ${r.bareHono.reqPerSec} req/s (${rounds(r.bareHono)}p99 ${r.bareHono.latencyP99Ms} ms) | |`
      : '| Bare Hono route, same process | not served: start the API from bench/api-entry.ts | |',
    r.ratio.catalogVsBare === null
      ? `| Catalog / bare | n/a | >= ${TARGETS.catalogVsBare} |`
      : `| Catalog / bare | ${r.ratio.catalogVsBare} | >= ${TARGETS.catalogVsBare}: ${verdict(r.ratio.catalogVsBare >= TARGETS.catalogVsBare)} |`,
    ...flashRows(r.flashSale),
    ...cartRows(r.cart),
    `| Peak RSS, measured phases | API ${mib(r.rssMiB.api)}, worker ${mib(r.rssMiB.worker)} | API <= ${TARGETS.rssMiB.api} MiB, worker <= ${TARGETS.rssMiB.worker} MiB: ${verdict(r.rssMiB.api <= TARGETS.rssMiB.api && r.rssMiB.worker <= TARGETS.rssMiB.worker)} |`,
    r.runtime ? `| Runtime | ${r.runtime.compiled ? 'compiled (dist/app)' : 'tsx'}, Node ${r.runtime.node} | |` : '',
    at20 ? '' : '(no 20/s run in this configuration)',
    '',
  ].join('\n');
}

function flashRows(f: BenchResults['flashSale']): string[] {
  if (!f) return [];
  const seconds = (v: number | null): string => (v === null ? 'n/a' : `${v} s`);
  return [
    `| Flash sale: ${f.units} units, ${f.customers} customers at ${f.offeredPerSec}/s | paid ${f.paid}, out of stock ${f.outOfStock}, other ends ${f.otherOutcomes}, oversold ${f.oversold} | paid = units, oversold 0, every loser \`OUT_OF_STOCK\`: ${verdict(f.paid === f.units && f.oversold === 0 && f.otherOutcomes === 0)} |`,
    `| Flash sale answers; sell-out; every loser \`FAILED\` | p50 ${f.answerMs.p50} ms, p99 ${f.answerMs.p99} ms; sold out after ${seconds(f.sellOutSeconds)}; all losers after ${seconds(f.allLosersFailedSeconds)} | |`,
  ];
}

function cartRows(c: BenchResults['cart']): string[] {
  if (!c) return [];
  return [
    `| Add to cart, ${c.connections} connections | ${c.addReqPerSec} req/s, p99 ${c.addP99Ms} ms | >= ${TARGETS.cartAddReqPerSec} req/s: ${verdict(c.addReqPerSec >= TARGETS.cartAddReqPerSec)} |`,
    `| Cart read, ${c.connections} connections (bare route in the same rounds) | ${c.readReqPerSec} req/s, p99 ${c.readP99Ms} ms (bare ${c.bare ? `${c.bare.reqPerSec} req/s` : 'not served'}) | |`,
  ];
}
