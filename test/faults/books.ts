/**
 * The books of a drill, checked once the stack rests. A drill passes only when no work was lost or
 * done twice:
 * - every key the client sent has exactly one order (none for a key the API refused), the API
 *   answered every retry of a key with that same order, and there is no order nobody asked for;
 * - every order is in a status its request allows, terminal or resting with its workflow alive
 *   and idle, and its checkout (and shipment) workflow ended the way the order says;
 * - money: exactly one charge per order at the provider, succeeded for every paid order, the
 *   amount kept (charged minus refunded) equals what the order keeps, refunds never exceed the
 *   charge, and our payments and refunds tables agree with the provider's ledger refund for refund;
 * - stock: for each product, units on hand plus units sold (committed reservations of orders that
 *   were not restocked) equal the initial stock, and `reserved` equals the active reservations.
 *   (`reserved` is a part of `on_hand` in this schema, not an addition to it: reserving does not
 *   take units off the shelf, selling does.)
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../../prisma/client';
import type { OrderStatus } from '../../domain/statuses';
import { shipmentWorkflowId } from '../../domain/ids';
import { PAID_STATUSES } from '../../domain/order-statuses';
import type { CheckoutOutcome } from './load';
import { TRANSIENT_STATUSES, type RestState } from './settle';

/** Paid, then paid back in full. */
export const PAID_BACK_STATUSES: readonly OrderStatus[] = ['RETURNED', 'REFUNDED'];
/** The order waits for the outside world (3-D Secure, the carrier) in a live workflow. */
const RESTING_STATUSES: readonly OrderStatus[] = ['AWAITING_PAYMENT_CONFIRMATION', 'FULFILLING', 'SHIPPED'];

export interface BooksInput {
  db: Db;
  temporal: Client;
  /** Initial on-hand stock of every product the drill sold. */
  initialStock: ReadonlyMap<string, number>;
  /** Everything the client sent, with every answer it got. */
  checkouts: readonly CheckoutOutcome[];
  /** Statuses the order of an accepted checkout may end in. */
  allowedStatuses(checkout: CheckoutOutcome): readonly OrderStatus[];
  rest: RestState;
}

export interface Books {
  orders: number;
  paid: number;
  failed: number;
  cancelled: number;
  awaiting: number;
  paidBack: number;
  /** Succeeded charges in the provider's ledger. */
  charges: number;
  /** Refunds in the provider's ledger. */
  refunds: number;
  stockOk: boolean;
  stuck: number;
  problems: string[];
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export async function checkBooks(input: BooksInput): Promise<Books> {
  const { db } = input;
  const problems: string[] = [];
  const problem = (text: string): void => {
    problems.push(text);
  };

  const [orders, items, reservations, payments, refunds, charges, simRefunds, inventory] = await Promise.all([
    db.order.findMany({
      select: {
        id: true,
        status: true,
        totalCents: true,
        refundedCents: true,
        workflowId: true,
        idempotencyKey: true,
        restockedAt: true,
      },
    }),
    db.orderItem.findMany({ select: { orderId: true, sku: true, quantity: true } }),
    db.reservation.findMany({ select: { orderId: true, sku: true, quantity: true, status: true } }),
    db.payment.findMany({
      select: {
        orderId: true,
        status: true,
        amountCents: true,
        capturedCents: true,
        refundedCents: true,
        providerPaymentId: true,
      },
    }),
    db.refund.findMany({ select: { orderId: true, amountCents: true, status: true, providerRefundId: true } }),
    db.simPaymentCharge.findMany({
      select: { id: true, idempotencyKey: true, status: true, amountCents: true, refundedCents: true },
    }),
    db.simPaymentRefund.findMany({ select: { id: true, chargeId: true, amountCents: true } }),
    db.inventory.findMany({ select: { sku: true, onHand: true, reserved: true } }),
  ]);
  const byOrder = <T extends { orderId: string }>(rows: readonly T[]): Map<string, T[]> => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.orderId, [...(map.get(row.orderId) ?? []), row]);
    return map;
  };
  const itemsOf = byOrder(items);
  const reservationsOf = byOrder(reservations);
  const refundsOf = byOrder(refunds);
  const paymentOf = new Map(payments.map((p) => [p.orderId, p]));
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const orderByKey = new Map(orders.map((o) => [o.idempotencyKey, o]));

  // --- One key, one order -------------------------------------------------------------------
  const sentKeys = new Set<string>();
  for (const c of input.checkouts) {
    const { key } = c.plan;
    sentKeys.add(key);
    const order = orderByKey.get(key);
    if (c.accepted) {
      if (c.orderIds.size !== 1)
        problem(
          `key ${key}: the API answered with ${c.orderIds.size} different orders (${[...c.orderIds].join(', ')})`,
        );
      if (!order) problem(`key ${key}: accepted as ${[...c.orderIds][0]} but no such order exists (lost)`);
      else if (!c.orderIds.has(order.id))
        problem(`key ${key}: answered ${[...c.orderIds].join(', ')} but the key's order is ${order.id}`);
      else {
        const allowed = input.allowedStatuses(c);
        if (!allowed.includes(order.status))
          problem(`order ${order.id} (${c.plan.token}) is ${order.status}, expected ${allowed.join('|')}`);
      }
    } else if (c.refusedWith !== undefined) {
      if (order) problem(`key ${key}: refused with ${c.refusedWith} yet order ${order.id} exists`);
    } else {
      problem(
        `key ${key}: no answer after ${c.attempts} attempts (statuses ${c.statuses.join(',') || 'none'}, ${c.networkErrors} network errors)`,
      );
    }
  }
  for (const o of orders)
    if (!sentKeys.has(o.idempotencyKey)) problem(`order ${o.id} has key ${o.idempotencyKey} that no client sent`);

  // --- Statuses and workflows ---------------------------------------------------------------
  const { rest } = input;
  const stuck = rest.transientOrders.length + rest.busyWorkflows.length;
  for (const o of rest.transientOrders)
    problem(`order ${o.id} still ${o.status} after ${Math.round(rest.waitedMs / 1000)} s`);
  for (const w of rest.busyWorkflows) problem(`workflow ${w.workflowId} still busy: ${w.busyWith.join('; ')}`);

  const describeStatus = async (workflowId: string): Promise<string> => {
    try {
      return (await input.temporal.workflow.getHandle(workflowId).describe()).status.name;
    } catch (error) {
      return `missing (${(error as Error).name})`;
    }
  };
  await inBatches(orders, 8, async (o) => {
    const checkout = await describeStatus(o.workflowId);
    const expected =
      o.status === 'AWAITING_PAYMENT_CONFIRMATION' ? 'RUNNING' : o.status === 'FAILED' ? 'FAILED' : 'COMPLETED';
    if (!TRANSIENT_STATUSES.includes(o.status) && checkout !== expected) {
      problem(`order ${o.id} is ${o.status} but its checkout workflow is ${checkout} (expected ${expected})`);
    }
    if ([...PAID_STATUSES, ...PAID_BACK_STATUSES].includes(o.status) && o.status !== 'PAID') {
      const shipment = await describeStatus(shipmentWorkflowId(o.id));
      const want = RESTING_STATUSES.includes(o.status) ? 'RUNNING' : 'COMPLETED';
      if (shipment !== want)
        problem(`order ${o.id} is ${o.status} but its shipment workflow is ${shipment} (expected ${want})`);
    }
  });
  const runsPerCheckout = new Map<string, number>();
  for await (const wf of input.temporal.workflow.list({ query: 'WorkflowType="checkout"' })) {
    runsPerCheckout.set(wf.workflowId, (runsPerCheckout.get(wf.workflowId) ?? 0) + 1);
  }
  for (const [id, runs] of runsPerCheckout) if (runs > 1) problem(`${runs} checkout runs for one key (${id})`);

  // --- Money --------------------------------------------------------------------------------
  const chargeOf = new Map<string, (typeof charges)[number]>();
  for (const charge of charges) {
    const orderId = /^order-(.+)-charge$/.exec(charge.idempotencyKey)?.[1];
    if (!orderId || !orderById.has(orderId))
      problem(`provider charge ${charge.id} (${charge.idempotencyKey}) belongs to no order`);
    else chargeOf.set(orderId, charge);
  }
  const simRefundsOf = new Map<string, (typeof simRefunds)[number][]>();
  for (const r of simRefunds) simRefundsOf.set(r.chargeId, [...(simRefundsOf.get(r.chargeId) ?? []), r]);
  for (const charge of charges) {
    const refunded = sum((simRefundsOf.get(charge.id) ?? []).map((r) => r.amountCents));
    if (refunded > charge.amountCents)
      problem(`charge ${charge.id}: refunds ${refunded} exceed the charge ${charge.amountCents}`);
    if (refunded !== charge.refundedCents)
      problem(`charge ${charge.id}: ledger says ${charge.refundedCents} refunded, refunds add up to ${refunded}`);
  }

  for (const o of orders) {
    const charge = chargeOf.get(o.id);
    const payment = paymentOf.get(o.id);
    const isPaid = PAID_STATUSES.includes(o.status);
    const captured = charge?.status === 'succeeded' ? charge.amountCents : 0;
    const kept = captured - (charge?.refundedCents ?? 0);
    const shouldKeep = isPaid ? o.totalCents - o.refundedCents : 0;
    if (isPaid && (charge?.status !== 'succeeded' || charge.amountCents !== o.totalCents)) {
      problem(
        `paid order ${o.id} has no succeeded charge of ${o.totalCents} (${charge ? `${charge.status} ${charge.amountCents}` : 'none'})`,
      );
    }
    if (!TRANSIENT_STATUSES.includes(o.status) && kept !== shouldKeep) {
      problem(`order ${o.id} (${o.status}): the provider keeps ${kept} cents, the order says ${shouldKeep}`);
    }
    if (
      isPaid &&
      !(
        payment &&
        ['CAPTURED', 'PARTIALLY_REFUNDED'].includes(payment.status) &&
        payment.capturedCents === o.totalCents
      )
    ) {
      problem(
        `paid order ${o.id}: payment is ${payment ? `${payment.status} captured ${payment.capturedCents}` : 'missing'}`,
      );
    }
    if (
      o.status === 'AWAITING_PAYMENT_CONFIRMATION' &&
      (charge?.status !== 'requires_action' || payment?.status !== 'REQUIRES_ACTION')
    ) {
      problem(
        `order ${o.id} awaits confirmation but its charge is ${charge?.status ?? 'none'} and payment ${payment?.status ?? 'none'}`,
      );
    }
    const ourRefunds = (refundsOf.get(o.id) ?? []).filter((r) => r.status === 'SUCCEEDED');
    const ourRefunded = sum(ourRefunds.map((r) => r.amountCents));
    const providerRefunds = charge ? (simRefundsOf.get(charge.id) ?? []) : [];
    if (
      ourRefunded !== o.refundedCents ||
      (payment && payment.refundedCents !== o.refundedCents) ||
      (charge?.refundedCents ?? 0) !== o.refundedCents
    ) {
      problem(
        `order ${o.id}: refunded totals disagree (order ${o.refundedCents}, payment ${payment?.refundedCents ?? '-'}, refunds ${ourRefunded}, provider ${charge?.refundedCents ?? 0})`,
      );
    }
    const ours = ourRefunds
      .map((r) => r.providerRefundId ?? '?')
      .sort()
      .join(',');
    const theirs = providerRefunds
      .map((r) => r.id)
      .sort()
      .join(',');
    if (ours !== theirs) problem(`order ${o.id}: refunds recorded [${ours}] differ from the provider's [${theirs}]`);
    if (PAID_BACK_STATUSES.includes(o.status) && o.refundedCents !== o.totalCents) {
      problem(`order ${o.id} is ${o.status} but only ${o.refundedCents} of ${o.totalCents} was refunded`);
    }
  }

  // --- Stock --------------------------------------------------------------------------------
  let stockOk = true;
  const stockProblem = (text: string): void => {
    stockOk = false;
    problem(text);
  };
  for (const [sku, initial] of input.initialStock) {
    const row = inventory.find((i) => i.sku === sku);
    if (!row) {
      stockProblem(`no inventory row for ${sku}`);
      continue;
    }
    const ofSku = reservations.filter((r) => r.sku === sku);
    const active = sum(ofSku.filter((r) => r.status === 'ACTIVE').map((r) => r.quantity));
    const sold = sum(
      ofSku.filter((r) => r.status === 'COMMITTED' && !orderById.get(r.orderId)?.restockedAt).map((r) => r.quantity),
    );
    if (row.onHand + sold !== initial)
      stockProblem(`${sku}: on hand ${row.onHand} + sold ${sold} = ${row.onHand + sold}, started with ${initial}`);
    if (row.reserved !== active)
      stockProblem(`${sku}: reserved ${row.reserved} but active reservations hold ${active}`);
    if (row.reserved < 0 || row.reserved > row.onHand)
      stockProblem(`${sku}: reserved ${row.reserved} outside 0..${row.onHand}`);
  }
  for (const o of orders) {
    const rs = reservationsOf.get(o.id) ?? [];
    const want =
      o.status === 'AWAITING_PAYMENT_CONFIRMATION'
        ? 'ACTIVE'
        : [...PAID_STATUSES, ...PAID_BACK_STATUSES].includes(o.status)
          ? 'COMMITTED'
          : null;
    if (want) {
      for (const item of itemsOf.get(o.id) ?? []) {
        if (!rs.some((r) => r.sku === item.sku && r.quantity === item.quantity && r.status === want)) {
          stockProblem(`order ${o.id} (${o.status}): ${item.quantity} x ${item.sku} not ${want}`);
        }
      }
    }
    if (
      (o.status === 'FAILED' || o.status === 'CANCELLED') &&
      rs.some((r) => r.status === 'ACTIVE' || (r.status === 'COMMITTED' && !o.restockedAt))
    ) {
      stockProblem(`order ${o.id} is ${o.status} but still holds stock`);
    }
    if (o.status === 'RETURNED' && !o.restockedAt) stockProblem(`order ${o.id} was returned but never restocked`);
  }

  const count = (statuses: readonly OrderStatus[]): number => orders.filter((o) => statuses.includes(o.status)).length;
  return {
    orders: orders.length,
    paid: count(PAID_STATUSES),
    failed: count(['FAILED']),
    cancelled: count(['CANCELLED']),
    awaiting: count(['AWAITING_PAYMENT_CONFIRMATION']),
    paidBack: count(PAID_BACK_STATUSES),
    charges: charges.filter((c) => c.status === 'succeeded').length,
    refunds: simRefunds.length,
    stockOk,
    stuck,
    problems,
  };
}

/** The books as one line: `orders=.. paid=.. failed=.. cancelled=.. charges=.. refunds=.. stock ok, 0 stuck`. */
export function booksLine(b: Books): string {
  const extra = [b.awaiting ? ` awaiting=${b.awaiting}` : '', b.paidBack ? ` returned=${b.paidBack}` : ''].join('');
  return (
    `orders=${b.orders} paid=${b.paid} failed=${b.failed} cancelled=${b.cancelled}${extra} ` +
    `charges=${b.charges} refunds=${b.refunds} stock ${b.stockOk ? 'ok' : 'WRONG'}, ${b.stuck} stuck`
  );
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
