import type { DbClient, Prisma } from '../client';

export type OrderEventSubject = 'order' | 'payment' | 'refund' | 'shipment';

/** One entry of an order's status log (see the OrderEvent model: written by triggers only). */
export interface OrderEventView {
  id: bigint;
  at: Date;
  subject: OrderEventSubject;
  subjectId: string;
  fromStatus: string | null;
  toStatus: string;
  actorId: string | null;
  details: Prisma.JsonValue;
}

/**
 * Reads the order's status log. There is no write method on purpose: the database's triggers append
 * to it in the transaction of each status change, whoever makes it.
 */
export function createOrderEventRepository(db: DbClient) {
  return {
    /** Oldest first; the id breaks ties between changes of one millisecond in the order they were made. */
    async listForOrder(orderId: string): Promise<OrderEventView[]> {
      const rows = await db.orderEvent.findMany({
        where: { orderId },
        select: {
          id: true,
          at: true,
          subject: true,
          subjectId: true,
          fromStatus: true,
          toStatus: true,
          actorId: true,
          details: true,
        },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
      });
      // The column is text written only by the migration's triggers, with these four names.
      return rows.map((r) => ({ ...r, subject: r.subject as OrderEventSubject }));
    },
  };
}

export type OrderEventRepository = ReturnType<typeof createOrderEventRepository>;
