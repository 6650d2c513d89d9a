import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Db } from '../prisma/client';
import { createCheckoutRequestRepository } from '../prisma/repositories/checkout-requests';
import { createPaymentRepository } from '../prisma/repositories/payments';
import { createRefundRepository } from '../prisma/repositories/refunds';
import { FailureType } from '../domain/failure-types';
import { RefundRejectedError, type PaymentProvider } from './adapters/payment-provider';

export interface ChargeInput {
  orderId: string;
  amountCents: number;
  currency: string;
}

export interface ChargeOutput {
  outcome: 'captured' | 'requires_action';
  providerPaymentId: string;
}

/**
 * The provider's own answer to "where does this payment stand?", as the checkout acts on it.
 * `pending`: still waiting for the customer (3-D Secure); `captured`: money taken, with the amount
 * the provider reports; `failed`: declined or cancelled at the provider, no money taken.
 */
export type VerifiedPayment =
  | { outcome: 'pending' }
  | { outcome: 'captured'; capturedCents: number; currency: string }
  | { outcome: 'failed'; providerStatus: 'failed' | 'canceled' };

export interface RefundInput {
  orderId: string;
  amountCents: number;
  /** Provider idempotency key: one per logical refund, so retries never refund twice. */
  idempotencyKey: string;
  reason: string;
  /** User id of whoever asked, or 'system' for compensations. */
  requestedBy: string;
  restock?: boolean;
}

/** Provider idempotency key of an order's one and only charge. */
export const chargeKey = (orderId: string): string => `order-${orderId}-charge`;

export function createPaymentActivities({ db, paymentProvider }: { db: Db; paymentProvider: PaymentProvider }) {
  const payments = createPaymentRepository(db);
  const refunds = createRefundRepository(db);

  return {
    /**
     * Charges the order through the provider. The provider's idempotency key is derived from the
     * order, so a retried or replayed activity never charges twice. A decline is a business failure.
     */
    async chargePayment(input: ChargeInput): Promise<ChargeOutput> {
      // The token is read from the checkout request row: it never enters the workflow's history.
      const token = (await createCheckoutRequestRepository(db).findByOrder(input.orderId))?.paymentToken;
      if (token === undefined) {
        throw ApplicationFailure.create({
          type: FailureType.ORDER_NOT_FOUND,
          message: `no payment method for order ${input.orderId}`,
          nonRetryable: true,
        });
      }
      const result = await paymentProvider.charge({
        idempotencyKey: chargeKey(input.orderId),
        amountCents: input.amountCents,
        currency: input.currency,
        token,
      });
      const captured = result.outcome === 'succeeded';
      await payments.recordAttempt({
        orderId: input.orderId,
        provider: paymentProvider.name,
        providerPaymentId: result.providerPaymentId,
        status: captured ? 'CAPTURED' : result.outcome === 'requires_action' ? 'REQUIRES_ACTION' : 'FAILED',
        amountCents: input.amountCents,
        capturedCents: captured ? input.amountCents : 0,
      });
      if (result.outcome === 'declined') {
        throw ApplicationFailure.create({
          type: FailureType.PAYMENT_DECLINED,
          message: `payment declined (${result.declineCode ?? 'no reason given'})`,
          nonRetryable: true,
        });
      }
      return { outcome: captured ? 'captured' : 'requires_action', providerPaymentId: result.providerPaymentId };
    },

    /**
     * Asks the provider itself whether the order's charge was captured: the only proof of payment
     * (a webhook or signal is a hint to ask, never proof). A reported capture is recorded on the
     * payments row with the provider's amount, so the books hold what the provider took.
     */
    async verifyPayment(input: { orderId: string; providerPaymentId: string }): Promise<VerifiedPayment> {
      const reported = await paymentProvider.retrieve(input.providerPaymentId);
      switch (reported.status) {
        case 'requires_action':
          return { outcome: 'pending' };
        case 'failed':
        case 'canceled':
          return { outcome: 'failed', providerStatus: reported.status };
        case 'succeeded':
          await payments.recordCapture(input.orderId, input.providerPaymentId, reported.capturedCents);
          return { outcome: 'captured', capturedCents: reported.capturedCents, currency: reported.currency };
      }
    },

    /**
     * Compensation of a charge still waiting for customer action: cancel it at the provider. The
     * customer may have passed the bank's challenge an instant before (the 30 minutes ran out as
     * they confirmed): a charge the provider reports captured cannot be cancelled, so it is refunded
     * in full, under the compensation's refund key, so never twice. Idempotent.
     */
    async cancelPayment(orderId: string): Promise<void> {
      const payment = await payments.findByOrder(orderId);
      // CAPTURED too: a retry after a crash between recording the capture and refunding it.
      if (!payment?.providerPaymentId || !['REQUIRES_ACTION', 'CAPTURED'].includes(payment.status)) return;
      await paymentProvider.cancel(payment.providerPaymentId);
      const reported = await paymentProvider.retrieve(payment.providerPaymentId);
      if (reported.status !== 'succeeded') {
        await payments.setStatus(orderId, 'VOIDED');
        return;
      }
      await payments.recordCapture(orderId, payment.providerPaymentId, reported.capturedCents);
      const idempotencyKey = `order-${orderId}-compensation`;
      const { providerRefundId } = await paymentProvider.refund({
        idempotencyKey,
        providerPaymentId: payment.providerPaymentId,
        amountCents: reported.capturedCents,
      });
      await refunds.recordSucceeded({
        orderId,
        idempotencyKey,
        amountCents: reported.capturedCents,
        reason: 'checkout did not complete',
        restock: false,
        providerRefundId,
        workflowId: Context.current().info.workflowExecution?.workflowId ?? 'unknown',
        requestedBy: 'system',
      });
    },

    /**
     * Gives captured money back (saga compensation and cancellations). Idempotent through the
     * provider's idempotency key; a refund the provider refuses for good is a business failure.
     */
    async refundPayment(input: RefundInput): Promise<string> {
      const payment = await payments.findByOrder(input.orderId);
      if (!payment?.providerPaymentId) {
        throw ApplicationFailure.create({
          type: FailureType.ORDER_NOT_FOUND,
          message: 'order has no payment',
          nonRetryable: true,
        });
      }
      try {
        const { providerRefundId } = await paymentProvider.refund({
          idempotencyKey: input.idempotencyKey,
          providerPaymentId: payment.providerPaymentId,
          amountCents: input.amountCents,
        });
        // The provider moved the money; record it once (the ledger dedupes on the same key).
        await refunds.recordSucceeded({
          orderId: input.orderId,
          idempotencyKey: input.idempotencyKey,
          amountCents: input.amountCents,
          reason: input.reason,
          restock: input.restock ?? false,
          providerRefundId,
          workflowId: Context.current().info.workflowExecution?.workflowId ?? 'unknown',
          requestedBy: input.requestedBy,
        });
        return providerRefundId;
      } catch (error) {
        if (error instanceof RefundRejectedError) {
          throw ApplicationFailure.create({
            type: FailureType.REFUND_EXCEEDS_CAPTURED,
            message: error.message,
            nonRetryable: true,
          });
        }
        throw error;
      }
    },
  };
}
