/**
 * The flash sale: one sku with `units` in stock, `customers` distinct customers each trying to buy
 * one, offered open loop at `offeredPerSec`. Every checkout reserves on the same inventory row, so
 * this is the hot-row case of the reservation statement (prisma/repositories/inventory.ts).
 *
 * What is checked comes from the database and the provider's ledger, not from the answers: units
 * sold (reservations that hold or took stock), provider charges kept, and the end state of every
 * order. The winners must be exactly `units` paid orders; every loser must end FAILED with
 * OUT_OF_STOCK; nothing may be oversold.
 */
import { randomUUID } from 'node:crypto';
import { chargeKey } from '../activities/payments';
import { PAID_STATUSES } from '../domain/order-statuses';
import { createCatalogRepository } from '../prisma/repositories/catalog';
import type { BenchTarget } from '../tooling/stack-target';
import { createBenchCustomers, type TokenSigning } from '../tooling/bench-customers';
import { drain } from './drain';
import { percentiles, round, runOpenLoop, type Percentiles } from './open-loop';
import { startActivitySampler, summarizeActivity, type ActivityFigures } from './pg-sampler';

export interface FlashSaleOptions {
  units: number;
  customers: number;
  offeredPerSec: number;
  /** How long the end states may go without progress before the rest count as stuck. */
  stallMs: number;
  databaseUrl: string;
  signing: TokenSigning;
}

/** One point of the sell-out curve, seconds after the first checkout was sent. */
export interface SellOutPoint {
  seconds: number;
  /** Units of the sku still available (on hand minus reserved), as sampled. */
  available: number;
  /** Orders paid and ended OUT_OF_STOCK by then (from their rows' timestamps). */
  paid: number;
  outOfStock: number;
}

export interface FlashSaleFigures {
  sku: string;
  units: number;
  customers: number;
  offeredPerSec: number;
  achievedRatePerSec: number;
  /** Checkouts answered other than 202, or not at all (each customer tries once, so there should be none). */
  refused: number;
  paid: number;
  outOfStock: number;
  /** Losers that did not end FAILED with OUT_OF_STOCK (should be none). */
  otherOutcomes: number;
  /** Units sold beyond `units`, by the database or by the provider's ledger, whichever says more. */
  oversold: number;
  books: {
    /** Units in reservations that hold or took stock (ACTIVE or COMMITTED). */
    unitsTaken: number;
    /** Succeeded provider charges of the sale's orders that were not refunded in full. */
    chargesKept: number;
    onHandAfter: number;
    reservedAfter: number;
  };
  answerMs: Percentiles;
  /** First order created -> the sku's available units first seen at 0 (sampled). */
  sellOutSeconds: number | null;
  /** First order created -> the last loser FAILED. */
  allLosersFailedSeconds: number | null;
  /** Each loser's order created -> FAILED. */
  loserFailMs: Percentiles;
  /** Each winner's order created -> payment captured. */
  winnerPaidMs: Percentiles;
  /** pg_stat_activity while the sale ran (./pg-sampler.ts). */
  database: ActivityFigures;
  curve: SellOutPoint[];
}

const SAMPLE_MS = 100;
const CURVE_STEP_SECONDS = 0.5;

const body = (sku: string): string =>
  JSON.stringify({
    items: [{ sku, quantity: 1 }],
    shippingAddress: { name: 'Flash', line1: '1 Sale St', city: 'Localhost', postalCode: '127', country: 'US' },
    paymentMethod: { token: 'tok_visa' },
  });

/** Whether the sale's figures break its rules (the bench then exits 1). */
export function flashSaleBroken(f: FlashSaleFigures): string[] {
  const broken: string[] = [];
  if (f.oversold !== 0) broken.push(`oversold ${f.oversold}`);
  if (f.paid !== f.units) broken.push(`paid ${f.paid} of ${f.units} units`);
  // A refused checkout made no order (a customer the sale never heard of), so it is no loser.
  if (f.otherOutcomes !== 0 || f.paid + f.outOfStock !== f.customers - f.refused)
    broken.push(`${f.otherOutcomes} orders ended neither paid nor FAILED with OUT_OF_STOCK`);
  return broken;
}

export async function measureFlashSale(stack: BenchTarget, options: FlashSaleOptions): Promise<FlashSaleFigures> {
  const { db } = stack;
  const sku = `FLASH-${Date.now()}`;
  await createCatalogRepository(db).upsertProduct({
    sku,
    name: 'Flash sale',
    priceCents: 1000,
    currency: 'USD',
    initialOnHand: options.units,
  });
  const customers = await createBenchCustomers(db, options.signing, options.customers, 'flash');
  const sampler = await startActivitySampler(
    options.databaseUrl,
    SAMPLE_MS,
    `SELECT on_hand - reserved FROM inventory WHERE sku = '${sku}'`,
  );
  const run = await runOpenLoop(options.offeredPerSec, options.customers / options.offeredPerSec, async (i) => {
    const started = performance.now();
    try {
      const res = await fetch(`${stack.baseUrl}/v1/checkouts`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${customers[i]!.token}`,
          'Idempotency-Key': randomUUID(),
        },
        body: body(sku),
      });
      const json = (await res.json()) as { orderId?: string };
      return { ms: performance.now() - started, status: res.status, orderId: json.orderId };
    } catch {
      // No answer at all (on an overloaded machine the connection itself timed out once): counted
      // as refused; whether an order was made anyway is in the database, which the books read.
      return { ms: performance.now() - started, status: 0, orderId: undefined };
    }
  });
  const orderIds = run.results.flatMap((r) => (r.status === 202 && r.orderId ? [r.orderId] : []));
  const ended = [...PAID_STATUSES, 'FAILED' as const, 'CANCELLED' as const];
  await drain(
    () => db.order.count({ where: { id: { in: orderIds }, status: { in: ended } } }),
    orderIds.length,
    options.stallMs,
  );
  const samples = await sampler.stop();

  const orders = await db.order.findMany({
    // Every order of the sku, answered or not: the books are the database's, not the answers'.
    where: { items: { some: { sku } } },
    select: {
      id: true,
      status: true,
      failureReason: true,
      createdAt: true,
      updatedAt: true,
      payment: { select: { status: true, updatedAt: true } },
    },
  });
  const paidOrders = orders.filter((o) => PAID_STATUSES.includes(o.status));
  const losers = orders.filter((o) => !PAID_STATUSES.includes(o.status));
  const outOfStock = losers.filter((o) => o.status === 'FAILED' && o.failureReason === 'OUT_OF_STOCK');

  const taken = await db.reservation.aggregate({
    where: { sku, status: { in: ['ACTIVE', 'COMMITTED'] } },
    _sum: { quantity: true },
  });
  const charges = await db.simPaymentCharge.findMany({
    where: { status: 'succeeded', idempotencyKey: { in: orders.map((o) => chargeKey(o.id)) } },
    select: { amountCents: true, refundedCents: true },
  });
  const chargesKept = charges.filter((c) => c.refundedCents < c.amountCents).length;
  const stock = await db.inventory.findUnique({ where: { sku }, select: { onHand: true, reserved: true } });
  const unitsTaken = taken._sum.quantity ?? 0;

  // Times on the database's clock from the first order row, the sampler's from when it started.
  const firstOrderAt = Math.min(...orders.map((o) => o.createdAt.getTime()));
  const samplerOffset = (firstOrderAt - sampler.startedAt) / 1000;
  const since = (at: Date): number => (at.getTime() - firstOrderAt) / 1000;
  const paidAt = paidOrders.flatMap((o) => (o.payment?.status === 'CAPTURED' ? [since(o.payment.updatedAt)] : []));
  const failedAt = outOfStock.map((o) => since(o.updatedAt));
  const soldOut = samples.find((s) => s.extra !== null && s.extra <= 0 && s.t >= samplerOffset);
  const lastSeconds = Math.max(0, ...paidAt, ...failedAt);
  const curve: SellOutPoint[] = [];
  for (let t = 0; t <= lastSeconds + CURVE_STEP_SECONDS; t += CURVE_STEP_SECONDS) {
    const sample = [...samples].reverse().find((s) => s.t - samplerOffset <= t);
    curve.push({
      seconds: round(t),
      available: sample?.extra ?? options.units,
      paid: paidAt.filter((x) => x <= t).length,
      outOfStock: failedAt.filter((x) => x <= t).length,
    });
  }

  return {
    sku,
    units: options.units,
    customers: options.customers,
    offeredPerSec: options.offeredPerSec,
    achievedRatePerSec: run.achievedRatePerSec,
    refused: run.results.length - orderIds.length,
    paid: paidOrders.length,
    outOfStock: outOfStock.length,
    otherOutcomes: losers.length - outOfStock.length,
    oversold: Math.max(0, unitsTaken - options.units, chargesKept - options.units, paidOrders.length - options.units),
    books: { unitsTaken, chargesKept, onHandAfter: stock?.onHand ?? Number.NaN, reservedAfter: stock?.reserved ?? 0 },
    answerMs: percentiles(run.results.map((r) => r.ms)),
    sellOutSeconds: soldOut ? round(soldOut.t - samplerOffset) : null,
    allLosersFailedSeconds: failedAt.length > 0 ? round(Math.max(...failedAt)) : null,
    loserFailMs: percentiles(outOfStock.map((o) => o.updatedAt.getTime() - o.createdAt.getTime())),
    winnerPaidMs: percentiles(
      paidOrders.flatMap((o) => (o.payment ? [o.payment.updatedAt.getTime() - o.createdAt.getTime()] : [])),
    ),
    database: summarizeActivity(samples, SAMPLE_MS),
    curve,
  };
}
