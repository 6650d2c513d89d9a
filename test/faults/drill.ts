/**
 * What every drill shares: booting an isolated stack on the drills' private PostgreSQL and Redis,
 * the standard mix of checkouts, probing `/readyz`, and closing with the books.
 */
import { Client, Connection } from '@temporalio/client';
import type { OrderStatus } from '../../domain/statuses';
import { startBenchStack, type BenchStack, type BenchStackOptions, type StackProduct } from '../../tooling/stack';
import { PAID_STATUSES } from '../../domain/order-statuses';
import { checkBooks, type Books } from './books';
import { CheckoutStream, type CheckoutOutcome, type PaymentToken, type StreamOptions } from './load';
import { freePort } from '../../tooling/ports';
import type { PrivatePostgres } from './private-postgres';
import type { PrivateRedis } from './private-redis';
import { waitForRest } from './settle';

export interface DrillContext {
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  bundlePath: string;
  /** The stack's processes write here (a file per drill). */
  outputFd: number;
  /** A directory of the drill's own (e.g. for Temporal's SQLite file). */
  workDir: string;
}

export interface DrillResult {
  books: Books;
  /** The drill's own figures, printed after the books. */
  notes: string;
  /** The drill's own failed expectations (the books add theirs). */
  problems: string[];
}

export interface Drill {
  name: string;
  run(ctx: DrillContext): Promise<DrillResult>;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A plentiful product for each half of the stream and a scarce one that runs out mid-drill. */
export const PRODUCTS: StackProduct[] = [
  { sku: 'FAULT-A', onHand: 100_000 },
  { sku: 'FAULT-B', onHand: 100_000, priceCents: 2_500 },
  { sku: 'FAULT-SCARCE', onHand: 15, priceCents: 4_000 },
];

/**
 * The standard mix: mostly approved cards, every tenth declined, every tenth 3-D Secure (left
 * waiting: a resting order), and every tenth two units of the scarce product (OUT_OF_STOCK once
 * it runs out).
 */
export function standardMix(i: number): { token: PaymentToken; sku: string; quantity: number } {
  const slot = i % 10;
  if (slot === 9) return { token: 'tok_visa', sku: 'FAULT-SCARCE', quantity: 2 };
  const token: PaymentToken = slot === 3 ? 'tok_declined' : slot === 7 ? 'tok_3ds' : 'tok_visa';
  return { token, sku: i % 2 === 0 ? 'FAULT-A' : 'FAULT-B', quantity: 1 };
}

/** Where an order of the standard mix may end. */
export function standardOutcome(c: CheckoutOutcome): readonly OrderStatus[] {
  const outOfStock: readonly OrderStatus[] = c.plan.sku === 'FAULT-SCARCE' ? ['FAILED'] : [];
  switch (c.plan.token) {
    case 'tok_declined':
      return ['FAILED'];
    case 'tok_3ds':
      return ['AWAITING_PAYMENT_CONFIRMATION', ...outOfStock];
    case 'tok_visa':
      return [...PAID_STATUSES, ...outOfStock];
  }
}

export async function bootStack(
  ctx: DrillContext,
  name: string,
  options: Partial<BenchStackOptions> = {},
): Promise<BenchStack> {
  return startBenchStack({
    apiPort: await freePort(),
    temporalPort: await freePort(),
    customers: 20,
    databaseUrl: ctx.postgres.url,
    databaseName: `faults_${name.replaceAll('-', '_')}`,
    redisUrl: ctx.redis.url,
    workflowBundlePath: ctx.bundlePath,
    products: PRODUCTS,
    outputFd: ctx.outputFd,
    ...options,
    // Only warnings in the logs: the drills read the books, not the request log.
    env: { LOG_LEVEL: 'warn', ...options.env },
  });
}

export function startStream(
  stack: BenchStack,
  ratePerSecond: number,
  pick: StreamOptions['pick'] = standardMix,
): CheckoutStream {
  const stream = new CheckoutStream({
    baseUrl: stack.baseUrl,
    customerTokens: stack.customerTokens,
    ratePerSecond,
    pick,
  });
  stream.start();
  return stream;
}

export interface ReadyProbe {
  status: number | 'no answer';
  ms: number;
  failing: string[];
}

/** One GET /readyz with a client timeout: readiness must answer promptly even when a dependency hangs. */
export async function probeReady(stack: BenchStack, timeoutMs = 8_000): Promise<ReadyProbe> {
  const started = performance.now();
  try {
    const res = await fetch(`${stack.baseUrl}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => ({}))) as { failing?: string[] };
    return { status: res.status, ms: Math.round(performance.now() - started), failing: body.failing ?? [] };
  } catch {
    return { status: 'no answer', ms: Math.round(performance.now() - started), failing: [] };
  }
}

/** Waits for the stack to rest, then checks the books against what the client saw. */
export async function closeBooks(
  stack: BenchStack,
  checkouts: readonly CheckoutOutcome[],
  allowedStatuses: (c: CheckoutOutcome) => readonly OrderStatus[] = standardOutcome,
  restTimeoutMs = 120_000,
): Promise<Books> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const temporal = new Client({ connection });
    const rest = await waitForRest(stack.db, temporal, restTimeoutMs);
    const initialStock = new Map(PRODUCTS.map((p) => [p.sku, p.onHand]));
    return await checkBooks({ db: stack.db, temporal, initialStock, checkouts, allowedStatuses, rest });
  } finally {
    await connection.close();
  }
}

/**
 * How long the API took to come back after `since` (the end of a fault): seconds until its first
 * accepted checkout, and until every checkout sent before then had been accepted.
 */
export function recovery(outcomes: readonly CheckoutOutcome[], since: number): { firstS: number; backlogS: number } {
  const seconds = (ms: number): number => Math.round(Math.max(0, ms) / 100) / 10;
  const acceptedAfter = outcomes.flatMap((o) =>
    o.acceptedAt !== undefined && o.acceptedAt >= since ? [o.acceptedAt - since] : [],
  );
  const backlog = outcomes.filter((o) => o.sentAt < since).map((o) => (o.acceptedAt ?? Date.now()) - since);
  return { firstS: seconds(Math.min(...acceptedAfter, Infinity)), backlogS: seconds(Math.max(0, ...backlog)) };
}
