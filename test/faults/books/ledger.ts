/**
 * What the books of a drill are checked against, read once the stack rests: our tables and the
 * simulated provider's ledger, indexed by order.
 */
import type { Db } from '../../../prisma/client';

export type Ledger = Awaited<ReturnType<typeof readLedger>>;

export async function readLedger(db: Db) {
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
  return {
    orders,
    items,
    reservations,
    payments,
    refunds,
    charges,
    simRefunds,
    inventory,
    itemsOf,
    reservationsOf,
    refundsOf,
    paymentOf,
    orderById,
    orderByKey,
  };
}
