import { randomUUID } from 'node:crypto';
import { inTransaction, type DbClient } from '../client';

export interface SucceededRefund {
  orderId: string;
  idempotencyKey: string;
  amountCents: number;
  reason: string;
  restock: boolean;
  providerRefundId: string;
  workflowId: string;
  requestedBy: string;
}

/** Refunds of an order: the ledger that order and payment `refundedCents` are derived from. */
export function createRefundRepository(db: DbClient) {
  return {
    /**
     * Records money the provider gave back and adds it to the order's and payment's refunded totals,
     * once per (order, idempotency key): a retried activity records nothing twice. Returns whether
     * this call recorded it.
     */
    async recordSucceeded(refund: SucceededRefund): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        // ON CONFLICT DO NOTHING: a duplicate must not abort the surrounding transaction.
        const { count } = await tx.refund.createMany({
          data: [{ id: randomUUID(), ...refund, requestHash: '', status: 'SUCCEEDED' }],
          skipDuplicates: true,
        });
        if (count === 0) return false;
        await tx.order.update({ where: { id: refund.orderId }, data: { refundedCents: { increment: refund.amountCents } } });
        await tx.$executeRaw`
          UPDATE payments SET refunded_cents = refunded_cents + ${refund.amountCents},
            status = CASE WHEN refunded_cents + ${refund.amountCents} >= captured_cents THEN 'REFUNDED'::"PaymentStatus"
                          ELSE 'PARTIALLY_REFUNDED'::"PaymentStatus" END,
            updated_at = now()
          WHERE order_id = ${refund.orderId}::uuid`;
        return true;
      });
    },
  };
}

export type RefundRepository = ReturnType<typeof createRefundRepository>;
