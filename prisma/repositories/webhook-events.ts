import type { DbClient, Prisma } from '../client';

export type WebhookSource = 'payments' | 'carrier';

/** Inbox of signed webhook deliveries: the (source, id) key turns a redelivery into a no-op. */
export function createWebhookEventRepository(db: DbClient) {
  return {
    /** Records the delivery; false when this event id was already recorded. */
    async record(source: WebhookSource, id: string, type: string, payload: Prisma.InputJsonValue): Promise<boolean> {
      // ON CONFLICT DO NOTHING: a redelivery must not abort the caller's transaction.
      const { count } = await db.webhookEvent.createMany({
        data: [{ source, id, type, payload }],
        skipDuplicates: true,
      });
      return count === 1;
    },

    count(source: WebhookSource, id: string): Promise<number> {
      return db.webhookEvent.count({ where: { source, id } });
    },
  };
}
