import type { DbClient } from '../client';
import type { OrderStatus } from '../../domain/statuses';

export interface SaleOutcome {
  /** True for the call that moved the order to PAID. */
  paid: boolean;
  /** The order's status before this call (null: no such order). */
  statusBefore: OrderStatus | null;
}

/**
 * The moment money and stock change hands: the order becomes PAID, its payment CAPTURED and its
 * ACTIVE reservations COMMITTED, their units leaving both reserved and on-hand stock. It spans four
 * tables, so it has a repository of its own rather than living in any one of theirs.
 */
export function createSaleRepository(db: DbClient) {
  return {
    /**
     * Completes the sale from one of `from`, in one statement: atomic by itself and one round trip
     * on the checkout's hot path (an interactive transaction took nine). Rows are locked in the
     * order every other writer takes them: the order first (the expiry sweep locks it before its
     * reservations, so the two settle each reservation exactly once), then the inventory rows in sku
     * order (as reservations take them, so the two never deadlock). Idempotent: a second call finds
     * the order PAID and changes nothing.
     */
    async complete(orderId: string, from: readonly OrderStatus[]): Promise<SaleOutcome> {
      const [row] = await db.$queryRaw<{ paid: boolean; status_before: OrderStatus | null }[]>`
        WITH before AS (
          SELECT status::text AS status FROM orders WHERE id = ${orderId}::uuid
        ), paid AS (
          UPDATE orders SET status = 'PAID', updated_at = now()
          WHERE id = ${orderId}::uuid AND status::text = ANY(${[...from]}::text[])
          RETURNING id
        ), captured AS (
          -- The capture the provider reported (verifyPayment's recordCapture) keeps its amount; a row
          -- that capture did not reach takes the amount charged.
          UPDATE payments SET status = 'CAPTURED',
            captured_cents = CASE WHEN status = 'CAPTURED' THEN captured_cents ELSE amount_cents END,
            updated_at = now()
          WHERE order_id IN (SELECT id FROM paid) AND status IN ('PENDING', 'REQUIRES_ACTION', 'CAPTURED')
        ), sold AS (
          UPDATE reservations SET status = 'COMMITTED', updated_at = now()
          WHERE order_id IN (SELECT id FROM paid) AND status = 'ACTIVE'
          RETURNING sku, quantity
        ), stock_locked AS MATERIALIZED (
          SELECT i.sku FROM inventory i WHERE i.sku IN (SELECT sku FROM sold) ORDER BY i.sku FOR UPDATE
        ), stock AS (
          UPDATE inventory i SET reserved = i.reserved - s.quantity, on_hand = i.on_hand - s.quantity, updated_at = now()
          FROM sold s WHERE i.sku = s.sku AND i.sku IN (SELECT sku FROM stock_locked)
        )
        SELECT EXISTS (SELECT 1 FROM paid) AS paid, (SELECT status FROM before) AS status_before`;
      return { paid: row?.paid ?? false, statusBefore: row?.status_before ?? null };
    },
  };
}

export type SaleRepository = ReturnType<typeof createSaleRepository>;
