import type { DbClient, Prisma } from '../client';

export type WebhookSource = 'payments' | 'carrier';

/**
 * What a delivery may do with its event: relay it ('claimed'), or nothing, because an earlier
 * delivery relayed it ('relayed') or is relaying it right now ('in_flight').
 */
export type WebhookClaim = 'claimed' | 'relayed' | 'in_flight';

/** How long a claim keeps other deliveries off; past it, a delivery that died mid-relay is retried. */
const CLAIM_LEASE_MS = 30_000;

/**
 * Inbox of signed webhook deliveries: the (source, id) key turns a redelivery into a no-op once the
 * event was relayed. Every call is its own short statement: no transaction is held open while the
 * caller talks to Temporal.
 */
export function createWebhookEventRepository(db: DbClient) {
  return {
    /** Records the delivery (if new) and claims its relay when nobody relayed or is relaying it. */
    async claim(
      source: WebhookSource,
      id: string,
      type: string,
      payload: Prisma.InputJsonValue,
    ): Promise<WebhookClaim> {
      const now = new Date();
      // ON CONFLICT DO NOTHING: a redelivery finds the row instead of failing.
      const { count } = await db.webhookEvent.createMany({
        data: [{ source, id, type, payload, relayClaimedAt: now }],
        skipDuplicates: true,
      });
      if (count === 1) return 'claimed';
      const taken = await db.webhookEvent.updateMany({
        where: {
          source,
          id,
          relayedAt: null,
          OR: [{ relayClaimedAt: null }, { relayClaimedAt: { lt: new Date(now.getTime() - CLAIM_LEASE_MS) } }],
        },
        data: { relayClaimedAt: now },
      });
      if (taken.count === 1) return 'claimed';
      const row = await db.webhookEvent.findUnique({
        where: { source_id: { source, id } },
        select: { relayedAt: true },
      });
      return row?.relayedAt ? 'relayed' : 'in_flight';
    },

    /** The relay succeeded: later deliveries of this event are acknowledged and ignored. */
    async markRelayed(source: WebhookSource, id: string): Promise<void> {
      await db.webhookEvent.updateMany({
        where: { source, id },
        data: { relayedAt: new Date(), relayClaimedAt: null },
      });
    },

    /** The relay failed: the sender's retry may claim it at once. */
    async releaseClaim(source: WebhookSource, id: string): Promise<void> {
      await db.webhookEvent.updateMany({ where: { source, id, relayedAt: null }, data: { relayClaimedAt: null } });
    },

    /**
     * The carrier events for a tracking number that reached no workflow yet (answered `unmatched`:
     * they came before the parcel was recorded), oldest first, as they were received.
     */
    async unrelayedCarrierEvents(trackingNumber: string): Promise<{ id: string; payload: Prisma.JsonValue }[]> {
      return db.webhookEvent.findMany({
        where: { source: 'carrier', relayedAt: null, payload: { path: ['trackingNumber'], equals: trackingNumber } },
        select: { id: true, payload: true },
        orderBy: { receivedAt: 'asc' },
      });
    },

    count(source: WebhookSource, id: string): Promise<number> {
      return db.webhookEvent.count({ where: { source, id } });
    },

    /** Whether the event reached its workflow (null: no such delivery recorded). */
    async isRelayed(source: WebhookSource, id: string): Promise<boolean | null> {
      const row = await db.webhookEvent.findUnique({
        where: { source_id: { source, id } },
        select: { relayedAt: true },
      });
      return row ? row.relayedAt !== null : null;
    },
  };
}
