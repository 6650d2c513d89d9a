/**
 * Notification activities on the real database and over real SMTP: the mail catcher of
 * tooling/mail-catcher.ts on a free port receives what the nodemailer mailer sends, and deduplicates
 * on Message-ID like a large mailbox provider. Run in Temporal's MockActivityEnvironment.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createNotificationActivities, type NotificationActivities } from '../../activities/notifications';
import { createSmtpMailer, messageIdFor, type Mailer } from '../../activities/notifications/mailer';
import { NOTIFICATION_TYPES, NotificationFailureType, notificationKey } from '../../domain/notifications';
import { createNotificationRepository } from '../../prisma/repositories/notifications';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { createShipmentRepository } from '../../prisma/repositories/shipments';
import { startMailCatcher, type CaughtMessage, type MailCatcher } from '../../tooling/mail-catcher';
import { freePort } from '../../tooling/ports';
import { useTestDatabase } from '../support/database';
import { createTestProduct, createTestUser, TEST_ADDRESS, type TestUser } from '../support/fixtures';

const MAIL_FROM = 'Temporal Commerce <shop@commerce.local>';
const db = useTestDatabase();
let catcher: MailCatcher;
let mailer: Mailer;
let acts: NotificationActivities;
const notifications = () => createNotificationRepository(db());

const mockEnv = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });
const env = {
  run: <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    mockEnv.run(fn, ...args) as Promise<R>,
};

beforeAll(async () => {
  catcher = await startMailCatcher({ smtpPort: await freePort() });
  mailer = createSmtpMailer(catcher.smtpUrl, { timeoutMs: 2_000 });
  acts = createNotificationActivities({ db: db(), mailer, mailFrom: MAIL_FROM, storefrontUrl: 'http://shop.test' });
});

afterAll(async () => {
  mailer.close();
  await catcher.stop();
});

const inboxOf = (email: string): CaughtMessage[] => catcher.messages().filter((m) => m.to.includes(email));

interface Fixture {
  user: TestUser;
  orderId: string;
  /** 8 characters, upper-case: what the emails call the order. */
  number: string;
  mug: string;
  cap: string;
}

/** A customer and their order of 2 mugs at $12.50 and 1 cap at $7.25 ($32.25), shipped to Ada <Lovelace>. */
async function orderFixture(): Promise<Fixture> {
  const user = await createTestUser(db());
  const mug = await createTestProduct(db(), { priceCents: 1250 });
  const cap = await createTestProduct(db(), { priceCents: 725 });
  const orderId = randomUUID();
  await createOrderRepository(db()).createPending({
    id: orderId,
    customerId: user.id,
    workflowId: `checkout-test-${orderId}`,
    idempotencyKey: orderId,
    requestHash: 'h',
    currency: 'USD',
    shippingAddress: { ...TEST_ADDRESS, name: 'Ada <Lovelace>' },
    items: [
      { sku: mug, quantity: 2, unitPriceCents: 1250 },
      { sku: cap, quantity: 1, unitPriceCents: 725 },
    ],
  });
  return { user, orderId, number: orderId.slice(0, 8).toUpperCase(), mug, cap };
}

async function prepareAndDeliver(event: Parameters<NotificationActivities['prepareNotification']>[0]) {
  const prepared = await env.run(acts.prepareNotification, event);
  if (!prepared) throw new Error(`nothing prepared for ${event.type}`);
  await env.run(acts.deliverNotification, prepared.notificationId);
  return prepared.notificationId;
}

/** The one message the user got, checked for what every email carries. */
function onlyMessage(user: TestUser): CaughtMessage {
  const inbox = inboxOf(user.email);
  expect(inbox).toHaveLength(1);
  const [message] = inbox;
  expect(message?.from).toContain('shop@commerce.local');
  return message!;
}

/** What every order email says: the lines and the total, with the name escaped in HTML. */
function expectOrderBody(message: CaughtMessage, f: Fixture) {
  expect(message.text).toContain('Hi Ada <Lovelace>,');
  expect(message.text).toContain(`2 x Test product ${f.mug} (${f.mug}) at $12.50: $25.00`);
  expect(message.text).toContain(`1 x Test product ${f.cap} (${f.cap}) at $7.25: $7.25`);
  expect(message.text).toContain('Total: $32.25');
  expect(message.text).toContain(`http://shop.test/orders/${f.orderId}`);
  expect(message.html).toContain('Hi Ada &lt;Lovelace&gt;,');
  expect(message.html).not.toContain('<Lovelace>');
  expect(message.html).toContain('$32.25');
}

describe('each type renders and delivers one email to the customer', () => {
  test('order_confirmed', async () => {
    const f = await orderFixture();
    const id = await prepareAndDeliver({ type: 'order_confirmed', orderId: f.orderId });

    const message = onlyMessage(f.user);
    expect(message.subject).toBe(`Order ${f.number} confirmed`);
    expect(message.messageId).toBe(messageIdFor(notificationKey('order_confirmed', f.orderId)));
    expectOrderBody(message, f);
    expect(await notifications().findById(id)).toMatchObject({
      type: 'order_confirmed',
      channel: 'email',
      to: f.user.email,
      subject: message.subject,
      status: 'SENT',
      orderId: f.orderId,
      cartId: null,
    });
  });

  test('payment_action_required', async () => {
    const f = await orderFixture();
    await prepareAndDeliver({ type: 'payment_action_required', orderId: f.orderId });

    const message = onlyMessage(f.user);
    expect(message.subject).toBe(`Confirm your payment for order ${f.number}`);
    expect(message.text).toContain('confirm the payment of $32.25');
    expectOrderBody(message, f);
  });

  test('order_shipped carries the tracking number', async () => {
    const f = await orderFixture();
    const tracking = `TRK-${randomUUID().slice(0, 8)}`;
    await createShipmentRepository(db()).startFulfilment(f.orderId, 'test-carrier', tracking);
    await prepareAndDeliver({ type: 'order_shipped', orderId: f.orderId });

    const message = onlyMessage(f.user);
    expect(message.subject).toBe(`Order ${f.number} has shipped`);
    expect(message.text).toContain(`Tracking number: ${tracking}`);
    expect(message.html).toContain(tracking);
    expectOrderBody(message, f);
  });

  test('order_delivered', async () => {
    const f = await orderFixture();
    await prepareAndDeliver({ type: 'order_delivered', orderId: f.orderId });

    const message = onlyMessage(f.user);
    expect(message.subject).toBe(`Order ${f.number} was delivered`);
    expectOrderBody(message, f);
  });

  test('order_cancelled', async () => {
    const f = await orderFixture();
    await prepareAndDeliver({ type: 'order_cancelled', orderId: f.orderId });

    const message = onlyMessage(f.user);
    expect(message.subject).toBe(`Order ${f.number} was cancelled`);
    expect(message.text).toContain('was cancelled');
    expectOrderBody(message, f);
  });

  test('order_failed says why in words, not as a code', async () => {
    const f = await orderFixture();
    await createOrderRepository(db()).transition(f.orderId, ['PENDING'], 'FAILED', 'PAYMENT_DECLINED');
    await prepareAndDeliver({ type: 'order_failed', orderId: f.orderId });

    const message = onlyMessage(f.user);
    expect(message.subject).toBe(`We could not complete order ${f.number}`);
    expect(message.text).toContain('your payment was declined.');
    expect(message.text).not.toContain('PAYMENT_DECLINED');
    expectOrderBody(message, f);
  });

  test('refund_succeeded carries the amount, once per refund of the order', async () => {
    const f = await orderFixture();
    const refund = (amountCents: number) =>
      db().refund.create({
        data: {
          id: randomUUID(),
          orderId: f.orderId,
          amountCents,
          reason: 'test',
          status: 'SUCCEEDED',
          idempotencyKey: randomUUID(),
          requestHash: 'h',
          workflowId: `refund-${randomUUID()}`,
          requestedBy: 'system',
        },
        select: { id: true },
      });
    const first = await refund(1250);
    const second = await refund(725);
    await prepareAndDeliver({ type: 'refund_succeeded', refundId: first.id });
    await prepareAndDeliver({ type: 'refund_succeeded', refundId: second.id });

    const inbox = inboxOf(f.user.email);
    expect(inbox.map((m) => m.subject).sort()).toEqual(
      [`Refund of $12.50 for order ${f.number}`, `Refund of $7.25 for order ${f.number}`].sort(),
    );
    expect(inbox.find((m) => m.subject.includes('$12.50'))?.text).toContain('We refunded $12.50');
    for (const message of inbox) expectOrderBody(message, f);
    expect((await notifications().listForOrder(f.orderId)).map((n) => n.type)).toEqual([
      'refund_succeeded',
      'refund_succeeded',
    ]);
  });

  test('cart_reminder lists the cart and links back to it', async () => {
    const user = await createTestUser(db());
    const mug = await createTestProduct(db(), { priceCents: 1250 });
    const cartId = randomUUID();
    await db().cart.create({
      data: { id: cartId, customerId: user.id, lines: { create: [{ sku: mug, quantity: 3 }] } },
      select: { id: true },
    });
    const id = await prepareAndDeliver({ type: 'cart_reminder', cartId });

    const message = onlyMessage(user);
    expect(message.subject).toBe('You left items in your cart');
    expect(message.text).toContain(`3 x Test product ${mug} (${mug}) at $12.50: $37.50`);
    expect(message.text).toContain('Subtotal: $37.50');
    expect(message.text).toContain('http://shop.test/cart');
    expect(message.html).toContain('href="http://shop.test/cart"');
    expect(await notifications().findById(id)).toMatchObject({ type: 'cart_reminder', cartId, orderId: null });
  });

  test('covers every notification type', () => {
    // The tests above, one per type: a type added to NOTIFICATION_TYPES needs its own here.
    expect([...NOTIFICATION_TYPES].sort()).toEqual(
      [
        'order_confirmed',
        'payment_action_required',
        'order_shipped',
        'order_delivered',
        'order_cancelled',
        'order_failed',
        'refund_succeeded',
        'cart_reminder',
      ].sort(),
    );
  });
});

test('nothing to send: guest, empty or closed carts, unknown orders, refunds not paid out', async () => {
  const user = await createTestUser(db());
  const mug = await createTestProduct(db());
  const guestCart = randomUUID();
  const emptyCart = randomUUID();
  const closedCart = randomUUID();
  await db().cart.createMany({
    data: [
      { id: guestCart, customerId: null },
      { id: emptyCart, customerId: user.id },
      { id: closedCart, customerId: user.id, status: 'CHECKED_OUT' },
    ],
  });
  await db().cartLine.createMany({
    data: [
      { cartId: guestCart, sku: mug, quantity: 1 },
      { cartId: closedCart, sku: mug, quantity: 1 },
    ],
  });
  const f = await orderFixture();
  const pendingRefund = await db().refund.create({
    data: {
      id: randomUUID(),
      orderId: f.orderId,
      amountCents: 100,
      reason: 'test',
      status: 'PENDING',
      idempotencyKey: randomUUID(),
      requestHash: 'h',
      workflowId: `refund-${randomUUID()}`,
      requestedBy: 'system',
    },
    select: { id: true },
  });

  for (const event of [
    { type: 'cart_reminder', cartId: guestCart },
    { type: 'cart_reminder', cartId: emptyCart },
    { type: 'cart_reminder', cartId: closedCart },
    { type: 'cart_reminder', cartId: randomUUID() },
    { type: 'order_confirmed', orderId: randomUUID() },
    { type: 'refund_succeeded', refundId: pendingRefund.id },
  ] as const) {
    await expect(env.run(acts.prepareNotification, event)).resolves.toBeNull();
  }
  expect(await db().notification.count({ where: { customerId: user.id } })).toBe(0);
});

test('an event without its subject id is a non-retryable failure', async () => {
  const error = await env.run(acts.prepareNotification, { type: 'order_shipped' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect((error as ApplicationFailure).type).toBe(NotificationFailureType.EVENT_INVALID);
  expect((error as ApplicationFailure).nonRetryable).toBe(true);
});

test('prepare and deliver twice for one event: one row, one message', async () => {
  const f = await orderFixture();
  const event = { type: 'order_confirmed', orderId: f.orderId } as const;
  const dropped = catcher.duplicatesDropped();

  const a = await prepareAndDeliver(event);
  const b = await prepareAndDeliver(event);
  const [c, d] = await Promise.all([
    env.run(acts.prepareNotification, event),
    env.run(acts.prepareNotification, event),
  ]);

  expect(new Set([a, b, c?.notificationId, d?.notificationId]).size).toBe(1);
  expect(await db().notification.count({ where: { orderId: f.orderId } })).toBe(1);
  expect(inboxOf(f.user.email)).toHaveLength(1);
  // The second delivery saw SENT and did not send at all.
  expect(catcher.duplicatesDropped()).toBe(dropped);
  expect(await notifications().findOutgoing(a)).toMatchObject({ status: 'SENT', attempts: 1 });
});

test('a crash between the send and markSent resends with the same Message-ID: still one email', async () => {
  const f = await orderFixture();
  const prepared = await env.run(acts.prepareNotification, { type: 'order_delivered', orderId: f.orderId });
  const row = await notifications().findOutgoing(prepared!.notificationId);
  const dropped = catcher.duplicatesDropped();

  // What the crashed worker did: the server accepted the message, the row never heard of it.
  await mailer.send({
    messageId: messageIdFor(row!.dedupeKey),
    from: MAIL_FROM,
    to: row!.to,
    subject: row!.subject,
    text: row!.textBody,
    html: row!.htmlBody,
  });
  expect((await notifications().findOutgoing(row!.id))?.status).toBe('PENDING');
  // The retry on another worker.
  await env.run(acts.deliverNotification, row!.id);

  expect(inboxOf(f.user.email)).toHaveLength(1);
  expect(catcher.duplicatesDropped()).toBe(dropped + 1);
  expect((await notifications().findOutgoing(row!.id))?.status).toBe('SENT');
});

test('SMTP down: delivery rejects and the row stays PENDING with the attempt recorded; back up: SENT', async () => {
  const f = await orderFixture();
  const prepared = await env.run(acts.prepareNotification, { type: 'order_confirmed', orderId: f.orderId });
  const id = prepared!.notificationId;

  await catcher.setAccepting(false);
  try {
    const started = Date.now();
    await expect(env.run(acts.deliverNotification, id)).rejects.toThrow(/ECONNREFUSED/);
    await expect(env.run(acts.deliverNotification, id)).rejects.toThrow(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    await catcher.setAccepting(true);
  }
  const down = await notifications().findOutgoing(id);
  expect(down).toMatchObject({ status: 'PENDING', attempts: 2, sentAt: null });
  expect(down?.lastError).toMatch(/ECONNREFUSED/);
  expect(inboxOf(f.user.email)).toHaveLength(0);

  const before = new Date();
  await env.run(acts.deliverNotification, id);
  const sent = await notifications().findOutgoing(id);
  expect(sent).toMatchObject({ status: 'SENT', attempts: 3 });
  expect(sent?.sentAt?.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
  expect(inboxOf(f.user.email)).toHaveLength(1);
});

test('a pooled connection the mail server dropped is not reused: the send after its restart arrives', async () => {
  const pooled = createSmtpMailer(catcher.smtpUrl, { timeoutMs: 2_000, pooledConnections: 1 });
  const message = (n: number) => ({
    messageId: `<pool-restart-${n}-${randomUUID()}@commerce.local>`,
    from: MAIL_FROM,
    to: 'pool-restart@example.com',
    subject: `pooled ${n}`,
    text: 'pooled',
    html: '<p>pooled</p>',
  });
  try {
    await pooled.send(message(1));
    // The server goes away with the pool's connection open, then comes back on the same port.
    await catcher.setAccepting(false);
    await catcher.setAccepting(true);
    await pooled.send(message(2));
  } finally {
    pooled.close();
  }
  expect(inboxOf('pool-restart@example.com').map((m) => m.subject)).toEqual(['pooled 1', 'pooled 2']);
});

test('failNotification marks the notification FAILED once the workflow gives up', async () => {
  const f = await orderFixture();
  const prepared = await env.run(acts.prepareNotification, { type: 'order_cancelled', orderId: f.orderId });

  await env.run(acts.failNotification, prepared!.notificationId, 'retry budget spent: connect ECONNREFUSED');

  expect(await notifications().findOutgoing(prepared!.notificationId)).toMatchObject({
    status: 'FAILED',
    lastError: 'retry budget spent: connect ECONNREFUSED',
    sentAt: null,
  });
  expect(inboxOf(f.user.email)).toHaveLength(0);
});

test('an SMTP 5xx refusal is non-retryable (MAIL_REJECTED) and recorded on the row', async () => {
  const f = await orderFixture();
  const refusing: Mailer = {
    send: () => Promise.reject(Object.assign(new Error('550 5.1.1 mailbox unavailable'), { responseCode: 550 })),
    close: () => undefined,
  };
  const strict = createNotificationActivities({
    db: db(),
    mailer: refusing,
    mailFrom: MAIL_FROM,
    storefrontUrl: 'http://shop.test',
  });
  const prepared = await env.run(strict.prepareNotification, { type: 'order_confirmed', orderId: f.orderId });

  const error = await env.run(strict.deliverNotification, prepared!.notificationId).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(ApplicationFailure);
  expect((error as ApplicationFailure).type).toBe(NotificationFailureType.MAIL_REJECTED);
  expect((error as ApplicationFailure).nonRetryable).toBe(true);
  expect(await notifications().findOutgoing(prepared!.notificationId)).toMatchObject({
    status: 'PENDING',
    attempts: 1,
    lastError: '550 5.1.1 mailbox unavailable',
  });
});
