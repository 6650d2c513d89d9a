/**
 * Hostile carrier deliveries for the webhooks drill, sent among the genuine ones: wild `occurredAt`
 * values (year 0000, 0001, before 2000, far ahead), malformed types and fields, an oversized body
 * (each answered 400 or 413, and never recorded), and events for parcels that are not ours
 * (answered `unmatched`). Each is signed with the real secret, so only its content is hostile.
 */
import { randomUUID } from 'node:crypto';
import { signatureFor } from '../../api/http/signature';

export type HostileKind = 'bad-time' | 'malformed' | 'oversized' | 'unknown-parcel';

export interface HostileTally {
  sent: Record<HostileKind, number>;
  /** Ids of the deliveries that must never reach the inbox. */
  refusedIds: Set<string>;
  /** Ids of the deliveries for parcels not ours: recorded, never relayed. */
  unmatchedIds: Set<string>;
  wrongAnswers: string[];
}

export function newHostileTally(): HostileTally {
  return {
    sent: { 'bad-time': 0, malformed: 0, oversized: 0, 'unknown-parcel': 0 },
    refusedIds: new Set(),
    unmatchedIds: new Set(),
    wrongAnswers: [],
  };
}

export const hostileCount = (t: HostileTally): number => Object.values(t.sent).reduce((a, b) => a + b, 0);

/** Out of bounds for docs/api.md's rule: from 2000 on, at most a day ahead. */
const BAD_TIMES = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '1999-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  () => new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString(),
] as const;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

interface Hostile {
  kind: HostileKind;
  id: string;
  raw: string;
  expected: 200 | 400 | 413;
}

/**
 * The hostile deliveries for one parcel. `wrongTerminal` is the terminal event that parcel must
 * NOT end with, so a wild-time event that slipped through would show in the order's status.
 */
export function hostileFor(trackingNumber: string, wrongTerminal: 'DELIVERED' | 'RETURNED'): Hostile[] {
  const id = (): string => `carrier_hostile_${randomUUID()}`;
  const badTime = pick(BAD_TIMES);
  const event = (fields: Record<string, unknown>): Record<string, unknown> & { id: string } => ({
    id: id(),
    type: wrongTerminal,
    trackingNumber,
    occurredAt: new Date().toISOString(),
    ...fields,
  });
  const timed = event({ occurredAt: typeof badTime === 'function' ? badTime() : badTime });
  const malformed = pick([
    event({ type: 'LOST' }),
    event({ type: 7 }),
    event({ type: null }),
    event({ occurredAt: 'yesterday' }),
    event({ occurredAt: 1_700_000_000_000 }),
    event({ trackingNumber: 'T'.repeat(65) }),
    event({ trackingNumber: ['not', 'a', 'string'] }),
  ]);
  const oversized = event({ padding: 'x'.repeat(70 * 1024) });
  const stranger = event({ type: 'PICKED_UP', trackingNumber: `NOT-OURS-${randomUUID()}` });
  return [
    { kind: 'bad-time', id: timed.id, raw: JSON.stringify(timed), expected: 400 },
    { kind: 'malformed', id: malformed.id, raw: JSON.stringify(malformed), expected: 400 },
    { kind: 'oversized', id: oversized.id, raw: JSON.stringify(oversized), expected: 413 },
    { kind: 'unknown-parcel', id: stranger.id, raw: JSON.stringify(stranger), expected: 200 },
  ];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends each hostile delivery once (again only when unanswered; a 5xx is a wrong answer), spread over `spreadMs`. */
export async function deliverHostile(
  baseUrl: string,
  secret: string,
  hostile: readonly Hostile[],
  tally: HostileTally,
  spreadMs: number,
): Promise<void> {
  await Promise.all(
    hostile.map(async (h) => {
      tally.sent[h.kind]++;
      if (h.expected === 200) tally.unmatchedIds.add(h.id);
      else tally.refusedIds.add(h.id);
      await sleep(Math.random() * spreadMs);
      const giveUpAt = Date.now() + 60_000;
      while (Date.now() < giveUpAt) {
        try {
          const res = await fetch(`${baseUrl}/v1/webhooks/carrier`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Signature': signatureFor(secret, h.raw) },
            body: h.raw,
            signal: AbortSignal.timeout(15_000),
          });
          const body = (await res.json().catch(() => ({}))) as { outcome?: string };
          if (res.status !== h.expected || (h.expected === 200 && body.outcome !== 'unmatched'))
            tally.wrongAnswers.push(`${h.kind} ${h.id}: ${res.status} ${body.outcome ?? ''}`.trim());
          return;
        } catch {
          // no answer: a real carrier sends again
        }
        await sleep(500);
      }
      tally.wrongAnswers.push(`${h.kind} ${h.id}: no answer within 60 s`);
    }),
  );
}
