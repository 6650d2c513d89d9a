/**
 * The drills' payment provider and carrier as webhook senders: signed deliveries, each event sent
 * more than once, all of them shuffled and spread out so duplicates overlap and events of one
 * parcel arrive out of order, each delivery retried on 5xx or no answer (as real senders do).
 */
import { signatureFor } from '../../api/http/signature';

export interface WebhookEvent {
  /** `/v1/webhooks/payments` or `/v1/webhooks/carrier`. */
  path: string;
  secret: string;
  body: Record<string, unknown> & { id: string };
}

export interface WebhookTally {
  deliveries: number;
  /** Deliveries beyond the first of each event. */
  duplicates: number;
  badSignatures: number;
  /** Deliveries that never got a 200 (or, for a bad signature, a 401). */
  wrongAnswers: string[];
  /** `processed` answers per event id: exactly one each is exactly-once relaying. */
  processed: Map<string, number>;
}

export function newTally(): WebhookTally {
  return { deliveries: 0, duplicates: 0, badSignatures: 0, wrongAnswers: [], processed: new Map() };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

async function deliver(
  baseUrl: string,
  event: WebhookEvent,
  tally: WebhookTally,
  badSignature: boolean,
): Promise<void> {
  const raw = JSON.stringify(event.body);
  const signature = badSignature ? signatureFor('not-the-secret', raw) : signatureFor(event.secret, raw);
  const giveUpAt = Date.now() + 60_000;
  while (Date.now() < giveUpAt) {
    try {
      const res = await fetch(`${baseUrl}${event.path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Signature': signature },
        body: raw,
        signal: AbortSignal.timeout(15_000),
      });
      const json = (await res.json().catch(() => ({}))) as { outcome?: string };
      if (badSignature) {
        if (res.status !== 401) tally.wrongAnswers.push(`${event.body.id} with a bad signature: ${res.status}`);
        return;
      }
      if (res.status === 200) {
        if (json.outcome === 'processed')
          tally.processed.set(event.body.id, (tally.processed.get(event.body.id) ?? 0) + 1);
        return;
      }
      if (res.status < 500) {
        tally.wrongAnswers.push(`${event.body.id}: ${res.status}`);
        return;
      }
    } catch {
      // no answer: the sender tries again
    }
    await sleep(500);
  }
  tally.wrongAnswers.push(`${event.body.id}: no 200 within 60 s`);
}

/**
 * Sends every event 1-3 times, plus optionally one badly signed copy of the first, all shuffled and
 * spread over `spreadMs`; resolves when every delivery is answered.
 */
export async function deliverShuffled(
  baseUrl: string,
  events: WebhookEvent[],
  tally: WebhookTally,
  options: { spreadMs: number; badSignature: boolean },
): Promise<void> {
  const copies: { event: WebhookEvent; bad: boolean }[] = [];
  for (const event of events) {
    const n = 1 + Math.floor(Math.random() * 3);
    for (let i = 0; i < n; i++) copies.push({ event, bad: false });
    tally.duplicates += n - 1;
  }
  if (options.badSignature && events[0]) {
    copies.push({ event: events[0], bad: true });
    tally.badSignatures++;
  }
  tally.deliveries += copies.length;
  await Promise.all(
    shuffle(copies).map(async ({ event, bad }) => {
      await sleep(Math.random() * options.spreadMs);
      await deliver(baseUrl, event, tally, bad);
    }),
  );
}
