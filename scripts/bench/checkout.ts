/**
 * `npm run bench:checkout`: answer latency of POST /v1/checkouts at a fixed arrival rate (open
 * loop: requests are sent on schedule whether or not earlier ones have answered, so a slow server
 * cannot hide its queueing), then how long the accepted orders take to reach PAID.
 * Prints the figures and writes bench/checkout.json. A benchmark, not a test: it fails only if
 * orders are lost (not every accepted order reaches PAID).
 *
 * Options (environment): BENCH_RATE (requests/s, default 20), BENCH_SECONDS (default 30).
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../paths';
import { percentile, startBenchStack } from './stack';

const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP = 20;

const body = (sku: string) =>
  JSON.stringify({
    items: [{ sku, quantity: 1 }],
    shippingAddress: { name: 'Bench', line1: '1 Loop Rd', city: 'Localhost', postalCode: '127', country: 'US' },
    paymentMethod: { token: 'tok_visa' },
  });

async function main(): Promise<void> {
  const stack = await startBenchStack({ apiPort: 3190, temporalPort: 7390 });
  try {
    let n = 0;
    const checkout = async (): Promise<{ ms: number; orderId: string; status: number }> => {
      const i = n++;
      const started = performance.now();
      const res = await fetch(`${stack.baseUrl}/v1/checkouts`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${stack.customerTokens[i % stack.customerTokens.length]}`,
          'Idempotency-Key': randomUUID(),
        },
        body: body(stack.skus[i % stack.skus.length]!),
      });
      const json = (await res.json()) as { orderId: string };
      return { ms: performance.now() - started, orderId: json.orderId, status: res.status };
    };

    for (let i = 0; i < WARMUP; i++) await checkout();

    const total = RATE * SECONDS;
    const pending: Promise<{ ms: number; orderId: string; status: number }>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(checkout());
    }
    const results = await Promise.all(pending);
    const sendSeconds = (performance.now() - t0) / 1000;
    const accepted = results.filter((r) => r.status === 202);
    const latencies = results.map((r) => r.ms).sort((a, b) => a - b);

    // Completion: every accepted order must reach PAID; none may be lost.
    const ids = accepted.map((r) => r.orderId);
    const deadline = Date.now() + 120_000;
    let paid = 0;
    while (Date.now() < deadline) {
      paid = await stack.db.order.count({ where: { id: { in: ids }, status: 'PAID' } });
      if (paid === ids.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const completedSeconds = (performance.now() - t0) / 1000;

    const figures = {
      date: new Date().toISOString(),
      cores: os.cpus().length,
      ratePerSec: RATE,
      seconds: SECONDS,
      requests: total,
      accepted: accepted.length,
      answerMs: {
        p50: round(percentile(latencies, 50)),
        p90: round(percentile(latencies, 90)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies.at(-1) ?? Number.NaN),
      },
      achievedRatePerSec: round(total / sendSeconds),
      paid,
      allPaidAfterSeconds: round(completedSeconds),
    };
    console.log(`POST /v1/checkouts at ${RATE}/s for ${SECONDS}s on ${figures.cores} cores: ${accepted.length}/${total} accepted`);
    console.log(`answer latency ms: p50 ${figures.answerMs.p50}  p90 ${figures.answerMs.p90}  p99 ${figures.answerMs.p99}  max ${figures.answerMs.max}`);
    console.log(`orders PAID: ${paid}/${accepted.length}, all within ${figures.allPaidAfterSeconds}s of the first request`);
    await writeFile(path.join(ROOT, 'bench', 'checkout.json'), `${JSON.stringify(figures, null, 2)}\n`);
    if (paid !== accepted.length || accepted.length !== total) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

const round = (x: number): number => Math.round(x * 10) / 10;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
