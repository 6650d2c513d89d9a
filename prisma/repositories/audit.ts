import { randomUUID } from 'node:crypto';
import type { DbClient, Prisma } from '../client';
import type { Role } from '../../domain/statuses';
import { NEWEST_FIRST, newestFirstAfter, type CreatedAtKey } from '../keyset';

export interface AuditRecord {
  actorId: string;
  actorRole: Role;
  action: string;
  targetType: string;
  targetId: string;
  /** What came of it: `accepted`, `rejected`, or a problem code such as `order_not_cancellable`. */
  outcome: string;
  details?: Prisma.InputJsonValue;
}

export interface AuditEntryView extends Omit<AuditRecord, 'details'> {
  id: string;
  details: Prisma.JsonValue;
  createdAt: Date;
}

/** Who did what to which object, when, and with what outcome (support and admin actions). */
export function createAuditRepository(db: DbClient) {
  return {
    async record(entry: AuditRecord): Promise<void> {
      await db.auditEntry.create({ data: { id: randomUUID(), ...entry } });
    },

    /** Newest first, keyset-paged on (createdAt, id). */
    async list(q: {
      limit: number;
      after?: CreatedAtKey;
      targetId?: string;
    }): Promise<{ items: AuditEntryView[]; hasMore: boolean }> {
      const rows = await db.auditEntry.findMany({
        where: {
          ...(q.targetId === undefined ? {} : { targetId: q.targetId }),
          ...newestFirstAfter(q.after),
        },
        orderBy: NEWEST_FIRST,
        take: q.limit + 1,
      });
      return { items: rows.slice(0, q.limit), hasMore: rows.length > q.limit };
    },

    /** Actions on the order and on its refunds, oldest first (the order's timeline). */
    listForOrder(orderId: string, refundIds: readonly string[]): Promise<AuditEntryView[]> {
      return db.auditEntry.findMany({
        where: {
          OR: [
            { targetType: 'order', targetId: orderId },
            ...(refundIds.length === 0 ? [] : [{ targetType: 'refund', targetId: { in: [...refundIds] } }]),
          ],
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
    },
  };
}
