import { randomUUID } from 'node:crypto';
import { inTransaction, type DbClient, type Prisma } from '../client';
import { refundWorkflowId } from '../../domain/ids';
import type { RefundStatus } from '../../domain/statuses';

export type { RefundStatus };

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

export interface RefundRequest {
  orderId: string;
  idempotencyKey: string;
  requestHash: string;
  amountCents: number;
  reason: string;
  restock: boolean;
  requestedBy: string;
  /**
   * A refund waits for an admin's approval when it takes the order's committed refunds (succeeded,
   * pending and awaiting approval together) above this, however the total is split.
   */
  approvalThresholdCents: number;
}

export interface RefundView {
  id: string;
  orderId: string;
  amountCents: number;
  reason: string;
  restock: boolean;
  status: RefundStatus;
  requestHash: string;
  workflowId: string;
  providerRefundId: string | null;
  /** Who asked for it: the one admin who may not decide it. */
  requestedBy: string;
}

export type RequestOutcome =
  | { kind: 'created'; refund: RefundView }
  | { kind: 'existing'; refund: RefundView }
  | { kind: 'exceeds'; refundableCents: number }
  /** `restock` on less than everything still refundable: units would come back for money kept. */
  | { kind: 'restock_requires_full_refund'; refundableCents: number };

const refundSelect = {
  id: true,
  orderId: true,
  amountCents: true,
  reason: true,
  restock: true,
  status: true,
  requestHash: true,
  workflowId: true,
  providerRefundId: true,
  requestedBy: true,
} as const;

/** Refunds that hold (or already took) part of the captured amount. */
const COMMITTED: readonly RefundStatus[] = ['PENDING', 'AWAITING_APPROVAL', 'SUCCEEDED'];

/** Adds a succeeded refund to the order's and the payment's refunded totals. */
async function addToTotals(tx: Prisma.TransactionClient, orderId: string, amountCents: number): Promise<void> {
  await tx.order.update({ where: { id: orderId }, data: { refundedCents: { increment: amountCents } } });
  await tx.$executeRaw`
    UPDATE payments SET refunded_cents = refunded_cents + ${amountCents},
      status = CASE WHEN refunded_cents + ${amountCents} >= captured_cents THEN 'REFUNDED'::"PaymentStatus"
                    ELSE 'PARTIALLY_REFUNDED'::"PaymentStatus" END,
      updated_at = now()
    WHERE order_id = ${orderId}::uuid`;
}

/**
 * Locks the order's payment row (every refund decision of the order runs one after another) and
 * reads what was captured, and the refund already made with `idempotencyKey`, if any.
 */
async function lockForRefund(tx: Prisma.TransactionClient, orderId: string, idempotencyKey: string) {
  const [payment] = await tx.$queryRaw<{ captured_cents: number }[]>`
    SELECT captured_cents FROM payments WHERE order_id = ${orderId}::uuid FOR UPDATE`;
  const existing = await tx.refund.findUnique({
    where: { orderId_idempotencyKey: { orderId, idempotencyKey } },
    select: refundSelect,
  });
  return { capturedCents: payment?.captured_cents ?? 0, existing };
}

/** Refunds of an order: the ledger that order and payment `refundedCents` are derived from. */
export function createRefundRepository(db: DbClient) {
  return {
    /**
     * Records a refund request, or finds the one already made with this key. The refundable amount
     * (captured minus every pending, awaiting or succeeded refund) is read under a lock on the
     * payment row, in the transaction that inserts the refund: two concurrent refunds can never
     * together exceed what was captured.
     */
    async request(r: RefundRequest): Promise<RequestOutcome> {
      return inTransaction(db, async (tx) => {
        const { capturedCents, existing } = await lockForRefund(tx, r.orderId, r.idempotencyKey);
        if (existing) return { kind: 'existing', refund: existing };
        const committed = await tx.refund.aggregate({
          where: { orderId: r.orderId, status: { in: [...COMMITTED] } },
          _sum: { amountCents: true },
        });
        const committedCents = committed._sum.amountCents ?? 0;
        const refundableCents = capturedCents - committedCents;
        if (r.amountCents > refundableCents) return { kind: 'exceeds', refundableCents: Math.max(0, refundableCents) };
        if (r.restock && r.amountCents !== refundableCents)
          return { kind: 'restock_requires_full_refund', refundableCents };
        const id = randomUUID();
        const refund = await tx.refund.create({
          data: {
            id,
            orderId: r.orderId,
            amountCents: r.amountCents,
            reason: r.reason,
            restock: r.restock,
            idempotencyKey: r.idempotencyKey,
            requestHash: r.requestHash,
            requestedBy: r.requestedBy,
            workflowId: refundWorkflowId(id),
            status: committedCents + r.amountCents > r.approvalThresholdCents ? 'AWAITING_APPROVAL' : 'PENDING',
          },
          select: refundSelect,
        });
        return { kind: 'created', refund };
      });
    },

    /**
     * The refund of everything still refundable that the platform itself decides (cancellation,
     * return, lost parcel), found again by its idempotency key. In the transaction, under the
     * payment row's lock: refunds awaiting approval are superseded (REJECTED: this refund covers
     * them), refunds already being paid out (PENDING) stay and finish, and the new refund is what
     * remains of the capture. Money is neither refunded twice nor withheld. `refund` is null when
     * nothing remains.
     */
    async requestRemainder(r: Omit<RefundRequest, 'amountCents' | 'approvalThresholdCents'>): Promise<{
      refund: RefundView | null;
      superseded: string[];
    }> {
      return inTransaction(db, async (tx) => {
        const { capturedCents, existing } = await lockForRefund(tx, r.orderId, r.idempotencyKey);
        if (existing) return { refund: existing, superseded: [] };
        const awaiting = await tx.refund.findMany({
          where: { orderId: r.orderId, status: 'AWAITING_APPROVAL' },
          select: { id: true },
        });
        const superseded = awaiting.map((a) => a.id);
        if (superseded.length > 0) {
          await tx.refund.updateMany({
            where: { id: { in: superseded }, status: 'AWAITING_APPROVAL' },
            data: { status: 'REJECTED' },
          });
        }
        const committed = await tx.refund.aggregate({
          where: { orderId: r.orderId, status: { in: ['PENDING', 'SUCCEEDED'] } },
          _sum: { amountCents: true },
        });
        const remaining = capturedCents - (committed._sum.amountCents ?? 0);
        if (remaining <= 0) return { refund: null, superseded };
        const id = randomUUID();
        const refund = await tx.refund.create({
          data: {
            id,
            orderId: r.orderId,
            amountCents: remaining,
            reason: r.reason,
            restock: r.restock,
            idempotencyKey: r.idempotencyKey,
            requestHash: r.requestHash,
            requestedBy: r.requestedBy,
            workflowId: refundWorkflowId(id),
            status: 'PENDING',
          },
          select: refundSelect,
        });
        return { refund, superseded };
      });
    },

    /**
     * What is still refundable on the order besides refund `id` itself: captured minus the order's
     * other pending, awaiting and succeeded refunds. A restocking refund must still equal it when it
     * is approved (a refund it left room for may have been rejected since).
     */
    async refundableBesides(id: string, orderId: string): Promise<number> {
      const [payment] = await db.$queryRaw<{ captured_cents: number }[]>`
        SELECT captured_cents FROM payments WHERE order_id = ${orderId}::uuid`;
      const others = await db.refund.aggregate({
        where: { orderId, id: { not: id }, status: { in: [...COMMITTED] } },
        _sum: { amountCents: true },
      });
      return Math.max(0, (payment?.captured_cents ?? 0) - (others._sum.amountCents ?? 0));
    },

    /** The order's refunds, oldest first, with when each was asked for. */
    listForOrder(orderId: string): Promise<(RefundView & { createdAt: Date; updatedAt: Date })[]> {
      return db.refund.findMany({
        where: { orderId },
        select: { ...refundSelect, createdAt: true, updatedAt: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
    },

    findById(id: string): Promise<RefundView | null> {
      return db.refund.findUnique({ where: { id }, select: refundSelect });
    },

    /** Moves the refund to `to` only from one of `from`; false when it was elsewhere. */
    async transition(id: string, from: readonly RefundStatus[], to: RefundStatus): Promise<boolean> {
      const { count } = await db.refund.updateMany({ where: { id, status: { in: [...from] } }, data: { status: to } });
      return count === 1;
    },

    /** The provider refunded it: SUCCEEDED and added to the totals, exactly once. */
    async markSucceeded(id: string, providerRefundId: string): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        const refund = await tx.refund.findUnique({ where: { id }, select: { orderId: true, amountCents: true } });
        if (!refund) return false;
        const { count } = await tx.refund.updateMany({
          where: { id, status: 'PENDING' },
          data: { status: 'SUCCEEDED', providerRefundId },
        });
        if (count === 0) return false;
        await addToTotals(tx, refund.orderId, refund.amountCents);
        return true;
      });
    },

    /**
     * Records money the provider gave back outside a refund request (saga compensation, paid-order
     * cancellation), once per (order, idempotency key). Returns whether this call recorded it.
     */
    async recordSucceeded(refund: SucceededRefund): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        // ON CONFLICT DO NOTHING: a duplicate must not abort the surrounding transaction.
        const { count } = await tx.refund.createMany({
          data: [{ id: randomUUID(), ...refund, requestHash: '', status: 'SUCCEEDED' }],
          skipDuplicates: true,
        });
        if (count === 0) return false;
        await addToTotals(tx, refund.orderId, refund.amountCents);
        return true;
      });
    },
  };
}

export type RefundRepository = ReturnType<typeof createRefundRepository>;
