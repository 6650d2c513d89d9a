/**
 * Emails, one row per event (the unique dedupe key), written PENDING with their rendered content
 * before the first send, and marked SENT (or FAILED, once the sender gives up) afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { DbClient } from '../client';
import { NEWEST_FIRST, newestFirstAfter, type CreatedAtKey } from '../keyset';
import type { NotificationType } from '../../domain/notifications';
import type { NotificationStatus } from '../../domain/statuses';

export type { NotificationStatus, NotificationType };

/** The notification as the API presents it (docs/api.md#notification). */
export interface NotificationView {
  id: string;
  type: NotificationType;
  channel: string;
  to: string;
  subject: string;
  status: NotificationStatus;
  orderId: string | null;
  cartId: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** What sending needs: the stored message and where its delivery stands. */
export interface OutgoingNotification extends NotificationView {
  dedupeKey: string;
  textBody: string;
  htmlBody: string;
  attempts: number;
  lastError: string | null;
}

export interface NewNotification {
  dedupeKey: string;
  type: NotificationType;
  to: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  orderId?: string | null;
  cartId?: string | null;
  customerId?: string | null;
}

export interface NotificationPageQuery {
  limit: number;
  /** Keyset cursor: the (createdAt, id) of the last notification of the previous page. */
  cursor?: CreatedAtKey | undefined;
}

/** An SMTP error can quote a whole server transcript: keep what an operator needs to read. */
const MAX_ERROR_LENGTH = 1000;

const viewSelect = {
  id: true,
  type: true,
  channel: true,
  to: true,
  subject: true,
  status: true,
  orderId: true,
  cartId: true,
  createdAt: true,
  sentAt: true,
} as const;

const outgoingSelect = {
  ...viewSelect,
  dedupeKey: true,
  textBody: true,
  htmlBody: true,
  attempts: true,
  lastError: true,
} as const;

// The column is text (new types need no migration); only this module writes it, from NotificationType.
const asView = <R extends { type: string }>(row: R): R & { type: NotificationType } =>
  row as R & { type: NotificationType };

export function createNotificationRepository(db: DbClient) {
  return {
    /**
     * Writes the event's notification in PENDING unless its dedupe key is already there, and returns
     * the id of that key's row either way: however many times (or how concurrently) one event is
     * prepared, it has one row, and its first rendering is the one sent.
     */
    async createPending(n: NewNotification): Promise<string> {
      // INSERT ... ON CONFLICT (dedupe_key) DO NOTHING RETURNING id: a concurrent writer of the same
      // key waits for the first to commit, inserts nothing (no row returned), and does not abort
      // the caller's transaction. The first writer's id comes back from the insert itself.
      const [inserted] = await db.notification.createManyAndReturn({
        data: [
          {
            id: randomUUID(),
            dedupeKey: n.dedupeKey,
            type: n.type,
            to: n.to,
            subject: n.subject,
            textBody: n.textBody,
            htmlBody: n.htmlBody,
            orderId: n.orderId ?? null,
            cartId: n.cartId ?? null,
            customerId: n.customerId ?? null,
          },
        ],
        skipDuplicates: true,
        select: { id: true },
      });
      if (inserted) return inserted.id;
      // A statement of its own, so it sees the row the other writer committed while the insert waited.
      const row = await db.notification.findUniqueOrThrow({ where: { dedupeKey: n.dedupeKey }, select: { id: true } });
      return row.id;
    },

    /** The id of the event's notification, if it was prepared already. */
    async findIdByDedupeKey(dedupeKey: string): Promise<string | null> {
      const row = await db.notification.findUnique({ where: { dedupeKey }, select: { id: true } });
      return row?.id ?? null;
    },

    async findById(id: string): Promise<NotificationView | null> {
      const row = await db.notification.findUnique({ where: { id }, select: viewSelect });
      return row && asView(row);
    },

    /** The stored message with its delivery state, for the sender. */
    async findOutgoing(id: string): Promise<OutgoingNotification | null> {
      const row = await db.notification.findUnique({ where: { id }, select: outgoingSelect });
      return row && asView(row);
    },

    /**
     * Records the successful send (it counts as an attempt). False when the row was already SENT:
     * the first sentAt stands.
     */
    async markSent(id: string, sentAt: Date): Promise<boolean> {
      const { count } = await db.notification.updateMany({
        where: { id, status: { not: 'SENT' } },
        data: { status: 'SENT', sentAt, attempts: { increment: 1 } },
      });
      return count === 1;
    },

    /** A send that failed and will be retried: the row stays PENDING with the attempt counted. */
    async recordFailedAttempt(id: string, error: string): Promise<void> {
      await db.notification.updateMany({
        where: { id, status: 'PENDING' },
        data: { attempts: { increment: 1 }, lastError: error.slice(0, MAX_ERROR_LENGTH) },
      });
    },

    /**
     * The sender gave up. The last attempt's error, when one was recorded, stays: it is the
     * server's full answer, `error` only what the workflow knows. A notification that was SENT
     * meanwhile stays SENT.
     */
    async markFailed(id: string, error: string): Promise<boolean> {
      const first = await db.notification.updateMany({
        where: { id, status: 'PENDING', lastError: null },
        data: { status: 'FAILED', lastError: error.slice(0, MAX_ERROR_LENGTH) },
      });
      if (first.count === 1) return true;
      const { count } = await db.notification.updateMany({
        where: { id, status: 'PENDING' },
        data: { status: 'FAILED' },
      });
      return count === 1;
    },

    /** The order's notifications, oldest first. */
    async listForOrder(orderId: string): Promise<NotificationView[]> {
      const rows = await db.notification.findMany({
        where: { orderId },
        select: viewSelect,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(asView);
    },

    /** The customer's notifications, newest first, keyset-paged on (createdAt, id). */
    async listForCustomer(
      customerId: string,
      q: NotificationPageQuery,
    ): Promise<{ items: NotificationView[]; hasMore: boolean }> {
      const rows = await db.notification.findMany({
        where: { customerId, ...newestFirstAfter(q.cursor) },
        select: viewSelect,
        orderBy: NEWEST_FIRST,
        take: q.limit + 1,
      });
      return { items: rows.slice(0, q.limit).map(asView), hasMore: rows.length > q.limit };
    },
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
