/**
 * The notifications repository on PostgreSQL: one row per dedupe key however many (concurrent)
 * writers, the delivery state moves forward only, and customer pages are stable keyset pages.
 */
import { randomUUID } from 'node:crypto';
import { notificationKey } from '../../domain/notifications';
import { createNotificationRepository, type NewNotification } from '../../prisma/repositories/notifications';
import { useTestDatabase } from '../support/database';

const db = useTestDatabase();
const repo = () => createNotificationRepository(db());

function pending(overrides: Partial<NewNotification> = {}): NewNotification {
  const orderId = randomUUID();
  return {
    dedupeKey: notificationKey('order_confirmed', orderId),
    type: 'order_confirmed',
    to: 'someone@test.example',
    subject: 'Order confirmed',
    textBody: 'text',
    htmlBody: '<p>html</p>',
    orderId,
    customerId: randomUUID(),
    ...overrides,
  };
}

test('createPending writes one PENDING row per dedupe key and returns it again, first content kept', async () => {
  const first = pending();
  const a = await repo().createPending(first);
  const b = await repo().createPending({ ...first, subject: 'Another subject' });

  expect(b).toBe(a);
  expect(await repo().findOutgoing(a)).toMatchObject({
    status: 'PENDING',
    channel: 'email',
    to: first.to,
    subject: 'Order confirmed',
    orderId: first.orderId,
    cartId: null,
    sentAt: null,
    attempts: 0,
    lastError: null,
  });
  expect((await repo().findOutgoing(b))?.subject).toBe('Order confirmed');
  expect(await db().notification.count({ where: { dedupeKey: first.dedupeKey } })).toBe(1);
});

test('concurrent createPending calls for one key make one row, and all of them get its id', async () => {
  const n = pending();
  const ids = await Promise.all(Array.from({ length: 12 }, () => repo().createPending(n)));

  expect(new Set(ids).size).toBe(1);
  expect(await db().notification.count({ where: { dedupeKey: n.dedupeKey } })).toBe(1);
  expect(await repo().findIdByDedupeKey(n.dedupeKey)).toBe(ids[0]);
});

test('findById returns the API view; unknown ids give null', async () => {
  const id = await repo().createPending(pending());
  const view = await repo().findById(id);

  expect(Object.keys(view ?? {}).sort()).toEqual(
    ['id', 'type', 'channel', 'to', 'subject', 'status', 'orderId', 'cartId', 'createdAt', 'sentAt'].sort(),
  );
  expect(await repo().findById(randomUUID())).toBeNull();
});

test('delivery state: failed attempts count on a PENDING row, SENT is final, FAILED never overrides SENT', async () => {
  const id = await repo().createPending(pending());

  await repo().recordFailedAttempt(id, 'connect ECONNREFUSED');
  await repo().recordFailedAttempt(id, 'x'.repeat(5000));
  let now = await repo().findOutgoing(id);
  expect(now).toMatchObject({ status: 'PENDING', attempts: 2 });
  expect(now?.lastError).toHaveLength(1000);

  const sentAt = new Date('2026-12-02T10:00:00.000Z');
  expect(await repo().markSent(id, sentAt)).toBe(true);
  expect(await repo().markSent(id, new Date())).toBe(false);
  expect(await repo().markFailed(id, 'too late')).toBe(false);
  await repo().recordFailedAttempt(id, 'too late');
  now = await repo().findOutgoing(id);
  expect(now).toMatchObject({ status: 'SENT', sentAt, attempts: 3 });

  const otherId = await repo().createPending(pending());
  expect(await repo().markFailed(otherId, 'gave up')).toBe(true);
  expect(await repo().findOutgoing(otherId)).toMatchObject({ status: 'FAILED', lastError: 'gave up', sentAt: null });
});

test('listForOrder is oldest first and holds only that order', async () => {
  const orderId = randomUUID();
  const types = ['order_confirmed', 'order_shipped', 'order_delivered'] as const;
  const ids: string[] = [];
  for (const type of types) {
    const id = await repo().createPending(pending({ type, orderId, dedupeKey: notificationKey(type, orderId) }));
    ids.push(id);
  }
  await repo().createPending(pending());

  const list = await repo().listForOrder(orderId);
  expect(list.map((n) => n.type)).toEqual([...types]);
  expect(list.map((n) => n.id)).toEqual(ids);
});

test('listForCustomer pages newest first on (createdAt, id), ties included, without gaps or repeats', async () => {
  const customerId = randomUUID();
  // Three rows share one createdAt: only the id orders them, as the keyset requires.
  const tie = new Date('2026-12-01T12:00:00.000Z');
  const times = [new Date('2026-11-30T08:00:00.000Z'), tie, tie, tie, new Date('2026-12-02T09:30:00.000Z')];
  for (const createdAt of times) {
    const id = await repo().createPending(pending({ customerId }));
    await db().notification.update({ where: { id: id }, data: { createdAt } });
  }
  await repo().createPending(pending());

  const seen: string[] = [];
  let cursor: { createdAt: Date; id: string } | undefined;
  let pages = 0;
  for (;;) {
    const page = await repo().listForCustomer(customerId, { limit: 2, cursor });
    pages += 1;
    seen.push(...page.items.map((n) => n.id));
    const last = page.items.at(-1);
    if (!page.hasMore || !last) break;
    cursor = { createdAt: last.createdAt, id: last.id };
  }

  const expected = await db().notification.findMany({
    where: { customerId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  expect(pages).toBe(3);
  expect(seen).toEqual(expected.map((r) => r.id));
  expect(new Set(seen).size).toBe(5);
});
