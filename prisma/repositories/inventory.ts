import { inTransaction, type DbClient, type Prisma } from '../client';
import { createCartRepository } from './carts';

export interface StockLine {
  sku: string;
  quantity: number;
}

export type ReserveOutcome = { ok: true } | { ok: false; shortSkus: string[] };
export type SetOnHandOutcome = 'updated' | 'not_found' | 'below_reserved';

/**
 * Returns the order's ACTIVE reservations to available stock. Rows are locked so that a release
 * racing the sale (./sales.ts, which commits them) settles each reservation exactly once.
 */
async function releaseActive(tx: Prisma.TransactionClient, orderId: string): Promise<number> {
  const active = await tx.$queryRaw<{ id: string; sku: string; quantity: number }[]>`
    SELECT id, sku, quantity FROM reservations
    WHERE order_id = ${orderId}::uuid AND status = 'ACTIVE' ORDER BY sku FOR UPDATE`;
  for (const r of active) {
    await tx.$executeRaw`
      UPDATE inventory SET reserved = reserved - ${r.quantity}, updated_at = now()
      WHERE sku = ${r.sku}`;
  }
  await tx.reservation.updateMany({ where: { id: { in: active.map((r) => r.id) } }, data: { status: 'RELEASED' } });
  return active.length;
}

export function createInventoryRepository(db: DbClient) {
  return {
    /**
     * Reserves every line for the order, all or nothing, in one statement (one round trip, atomic by
     * itself; the checkout runs it on every order). The inventory rows are locked in sku order, so two
     * orders never deadlock; a lock waited for hands back the row as the other order left it, and the
     * update applies only when every line is covered there, so stock can never be oversold whatever
     * the concurrency (and the CHECK constraint on `inventory` would refuse it anyway).
     * Idempotent: an order that already has reservation rows is reported as reserved.
     */
    async reserveForOrder(orderId: string, lines: readonly StockLine[], expiresAt: Date): Promise<ReserveOutcome> {
      if (lines.length === 0) return { ok: true };
      const skus = lines.map((l) => l.sku);
      const quantities = lines.map((l) => l.quantity);
      const [row] = await db.$queryRaw<{ already: boolean; reserved: number; short_skus: string[] }[]>`
        WITH wanted AS (
          SELECT sku, sum(quantity)::int AS quantity
          FROM unnest(${skus}::text[], ${quantities}::int[]) AS l(sku, quantity) GROUP BY sku
        ), already AS (
          SELECT EXISTS (SELECT 1 FROM reservations WHERE order_id = ${orderId}::uuid) AS yes
        ), locked AS (
          SELECT i.sku, w.quantity, i.on_hand - i.reserved >= w.quantity AS covered
          FROM inventory i JOIN wanted w ON w.sku = i.sku
          WHERE NOT (SELECT yes FROM already)
          ORDER BY i.sku FOR UPDATE OF i
        ), verdict AS (
          SELECT count(*) = (SELECT count(*) FROM wanted) AND bool_and(covered) AS ok FROM locked
        ), taken AS (
          UPDATE inventory i SET reserved = i.reserved + l.quantity, updated_at = now()
          FROM locked l WHERE i.sku = l.sku AND (SELECT ok FROM verdict)
          RETURNING i.sku, l.quantity
        ), inserted AS (
          INSERT INTO reservations (id, order_id, sku, quantity, expires_at)
          SELECT gen_random_uuid(), ${orderId}::uuid, sku, quantity, ${expiresAt} FROM taken
          RETURNING sku
        )
        SELECT (SELECT yes FROM already) AS already,
               (SELECT count(*)::int FROM inserted) AS reserved,
               ARRAY(SELECT w.sku FROM wanted w LEFT JOIN locked l ON l.sku = w.sku
                     WHERE l.covered IS NOT TRUE ORDER BY w.sku) AS short_skus`;
      if (!row) throw new Error('reservation statement returned no row');
      if (row.already || row.reserved > 0) return { ok: true };
      // An unknown sku has no inventory row: it is short like any other.
      return { ok: false, shortSkus: row.short_skus };
    },

    /**
     * Returns the order's ACTIVE reservations to stock. Idempotent (a second call finds nothing
     * ACTIVE), so it is safe as a saga compensation that may run more than once.
     * Returns the number of reservation rows released.
     */
    releaseForOrder(orderId: string): Promise<number> {
      return inTransaction(db, (tx) => releaseActive(tx, orderId));
    },

    /** Puts units back on hand (cancelled or returned sales). Not idempotent: callers guard it. */
    async restock(lines: readonly StockLine[]): Promise<void> {
      await inTransaction(db, async (tx) => {
        for (const line of [...lines].sort((a, b) => a.sku.localeCompare(b.sku))) {
          await tx.$executeRaw`UPDATE inventory SET on_hand = on_hand + ${line.quantity}, updated_at = now() WHERE sku = ${line.sku}`;
        }
      });
    },

    /**
     * Abandoned checkouts: releases the expired ACTIVE reservations of unpaid (or already failed or
     * cancelled) orders and cancels the unpaid ones with RESERVATION_EXPIRED, so their checkout can
     * no longer be marked paid. Orders are locked before their reservations, the same order
     * markOrderPaid takes them in, so the two never deadlock; SKIP LOCKED leaves busy orders for the
     * next sweep. Returns how many orders were swept.
     */
    async releaseExpired(now: Date, limit = 200): Promise<number> {
      return inTransaction(db, async (tx) => {
        const orders = await tx.$queryRaw<{ id: string; status: string }[]>`
          SELECT o.id, o.status::text AS status FROM orders o
          WHERE o.status IN ('PENDING', 'AWAITING_PAYMENT_CONFIRMATION', 'FAILED', 'CANCELLED')
            AND EXISTS (SELECT 1 FROM reservations r
                        WHERE r.order_id = o.id AND r.status = 'ACTIVE' AND r.expires_at < ${now})
          ORDER BY o.id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
        for (const order of orders) {
          if (order.status === 'PENDING' || order.status === 'AWAITING_PAYMENT_CONFIRMATION') {
            await tx.order.update({
              where: { id: order.id },
              data: { status: 'CANCELLED', failureReason: 'RESERVATION_EXPIRED' },
            });
            await createCartRepository(tx).restoreLinesOfOrder(order.id);
          }
          await releaseActive(tx, order.id);
        }
        return orders.length;
      });
    },

    /** Sets the counted on-hand stock of a sku; refused below what is currently reserved. */
    async setOnHand(sku: string, onHand: number): Promise<SetOnHandOutcome> {
      const updated = await db.$executeRaw`
        UPDATE inventory SET on_hand = ${onHand}, updated_at = now() WHERE sku = ${sku} AND reserved <= ${onHand}`;
      if (updated === 1) return 'updated';
      const exists = await db.inventory.findUnique({ where: { sku }, select: { sku: true } });
      return exists ? 'below_reserved' : 'not_found';
    },

    async getStock(sku: string): Promise<{ onHand: number; reserved: number } | null> {
      return db.inventory.findUnique({ where: { sku }, select: { onHand: true, reserved: true } });
    },

    async reservationsOf(orderId: string): Promise<{ sku: string; quantity: number; status: string }[]> {
      return db.reservation.findMany({
        where: { orderId },
        select: { sku: true, quantity: true, status: true },
        orderBy: { sku: 'asc' },
      });
    },
  };
}

export type InventoryRepository = ReturnType<typeof createInventoryRepository>;
