import { randomUUID } from 'node:crypto';
import type { DbClient } from '../client';
import type { PaymentStatus } from '../../domain/statuses';

export type { PaymentStatus };

export interface PaymentRecord {
  orderId: string;
  provider: string;
  providerPaymentId: string | null;
  status: PaymentStatus;
  amountCents: number;
  capturedCents: number;
  refundedCents: number;
}

const paymentSelect = {
  orderId: true,
  provider: true,
  providerPaymentId: true,
  status: true,
  amountCents: true,
  capturedCents: true,
  refundedCents: true,
} as const;

/** Our record of the order's payment at the provider; the provider is the source of truth for money. */
export function createPaymentRepository(db: DbClient) {
  return {
    /** Records the provider's answer to the charge attempt; repeated calls overwrite with the same facts. */
    async recordAttempt(p: {
      orderId: string;
      provider: string;
      providerPaymentId: string;
      status: PaymentStatus;
      amountCents: number;
      capturedCents: number;
    }): Promise<void> {
      await db.payment.upsert({
        where: { orderId: p.orderId },
        create: { id: randomUUID(), ...p },
        update: { providerPaymentId: p.providerPaymentId, status: p.status, capturedCents: p.capturedCents },
      });
    },

    async setStatus(orderId: string, status: PaymentStatus, capturedCents?: number): Promise<void> {
      await db.payment.update({
        where: { orderId },
        data: { status, ...(capturedCents === undefined ? {} : { capturedCents }) },
      });
    },

    /**
     * The provider reported the capture of `capturedCents`: record its figure, not ours. Only a
     * payment not yet past capture moves (a refunded one keeps its state); true when one did.
     */
    async recordCapture(orderId: string, providerPaymentId: string, capturedCents: number): Promise<boolean> {
      const { count } = await db.payment.updateMany({
        where: { orderId, providerPaymentId, status: { in: ['PENDING', 'REQUIRES_ACTION', 'CAPTURED'] } },
        data: { status: 'CAPTURED', capturedCents },
      });
      return count === 1;
    },

    findByOrder(orderId: string): Promise<PaymentRecord | null> {
      return db.payment.findUnique({ where: { orderId }, select: paymentSelect });
    },

    findByProviderPaymentId(providerPaymentId: string): Promise<PaymentRecord | null> {
      return db.payment.findUnique({ where: { providerPaymentId }, select: paymentSelect });
    },
  };
}

export type PaymentRepository = ReturnType<typeof createPaymentRepository>;
