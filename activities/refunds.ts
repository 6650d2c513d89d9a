import { ApplicationFailure } from '@temporalio/activity';
import { inTransaction, type Db, type Prisma } from '../prisma/client';
import { createOrderRepository, type OrderStatus } from '../prisma/repositories/orders';
import { createPaymentRepository } from '../prisma/repositories/payments';
import { createRefundRepository } from '../prisma/repositories/refunds';
import { createShipmentRepository } from '../prisma/repositories/shipments';
import { FailureType } from '../domain/failure-types';
import { PAID_STATUSES } from '../domain/order-statuses';
import { RefundRejectedError, type PaymentProvider } from './adapters/payment-provider';
import { restockOrderOnce } from './orders';

/**
 * Whether the order's units are (or will stay) in the warehouse: no parcel was made (the order is
 * REFUNDED in this transaction, so none will be), or it came back. A parcel waiting for pick-up is
 * stopped first and restocked then (restockStoppedParcel); one the carrier has is not restocked.
 */
async function unitsStayHome(tx: Prisma.TransactionClient, orderId: string): Promise<boolean> {
  const shipment = await createShipmentRepository(tx).findByOrder(orderId);
  return shipment === null || shipment.status === 'RETURNED';
}

export function createRefundActivities({ db, paymentProvider }: { db: Db; paymentProvider: PaymentProvider }) {
  const refunds = createRefundRepository(db);

  return {
    /**
     * The admin's approval: AWAITING_APPROVAL -> PENDING. False when the refund is no longer
     * awaiting it (a full system refund superseded it): it must not be paid.
     */
    async approveRefund(refundId: string): Promise<boolean> {
      if (await refunds.transition(refundId, ['AWAITING_APPROVAL'], 'PENDING')) return true;
      return (await refunds.findById(refundId))?.status === 'PENDING'; // this approval, run again
    },

    async rejectRefund(refundId: string): Promise<void> {
      await refunds.transition(refundId, ['AWAITING_APPROVAL'], 'REJECTED');
    },

    /**
     * A payout that ended without the provider's refusal (its retries ran out, the database refused
     * a value): PENDING -> FAILED, so the refund stops holding its amount and a later full refund
     * pays it back instead of skipping it. The provider's own guard (never more than captured, keyed
     * per refund) keeps a payout that did reach it from being paid a second time.
     */
    async failRefund(refundId: string): Promise<void> {
      await refunds.transition(refundId, ['PENDING'], 'FAILED');
    },

    /**
     * Pays the refund back through the provider (idempotency key `refund-<id>`), then, in one
     * transaction: marks it SUCCEEDED and adds it to the totals (once), restocks the order if asked
     * (once per order), and makes a fully refunded order REFUNDED. Returns the order's status.
     */
    async executeRefund(refundId: string): Promise<OrderStatus> {
      const refund = await refunds.findById(refundId);
      if (!refund)
        throw ApplicationFailure.create({
          type: FailureType.ORDER_NOT_FOUND,
          message: `no refund ${refundId}`,
          nonRetryable: true,
        });
      if (refund.status !== 'PENDING' && refund.status !== 'SUCCEEDED') {
        // Only an approved (or never gated) refund is paid; a superseded one never is.
        throw ApplicationFailure.create({
          type: FailureType.REFUND_NOT_PAYABLE,
          message: `refund ${refundId} is ${refund.status}`,
          nonRetryable: true,
        });
      }
      const payment = await createPaymentRepository(db).findByOrder(refund.orderId);
      let providerRefundId = refund.providerRefundId;
      if (refund.status !== 'SUCCEEDED') {
        try {
          ({ providerRefundId } = await paymentProvider.refund({
            idempotencyKey: `refund-${refundId}`,
            providerPaymentId: payment?.providerPaymentId ?? '',
            amountCents: refund.amountCents,
          }));
        } catch (error) {
          if (!(error instanceof RefundRejectedError)) throw error;
          await refunds.transition(refundId, ['PENDING'], 'FAILED');
          throw ApplicationFailure.create({
            type: FailureType.REFUND_EXCEEDS_CAPTURED,
            message: error.message,
            nonRetryable: true,
          });
        }
      }
      return inTransaction(db, async (tx) => {
        // Adding to the totals locks the order row: payouts of one order decide one after another.
        await createRefundRepository(tx).markSucceeded(refundId, providerRefundId ?? '');
        const orders = createOrderRepository(tx);
        const order = await orders.findById(refund.orderId);
        const refundedInFull = order !== null && order.refundedCents >= order.totalCents;
        // The restock rule again, where it takes effect: units come back only with all of the money
        // (a refund awaiting approval when this one was asked may have been rejected since), and
        // only when they will not ship (docs/api.md#limits-and-money-rules).
        if (refund.restock && refundedInFull && (await unitsStayHome(tx, refund.orderId))) {
          await restockOrderOnce(tx, refund.orderId);
        }
        if (order && refundedInFull && PAID_STATUSES.includes(order.status)) {
          // A full refund makes a paid order REFUNDED; cancelled and returned orders keep their status.
          await orders.transition(order.id, PAID_STATUSES, 'REFUNDED');
          return 'REFUNDED';
        }
        return order?.status ?? 'REFUNDED';
      });
    },
  };
}
