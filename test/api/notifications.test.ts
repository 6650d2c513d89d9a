/**
 * docs/api.md#notifications end to end: the workflows send each event's email over real SMTP (the
 * harness's mail catcher), once, and the two notification routes list them. The catcher drops a
 * message whose Message-ID it has seen; these tests also assert it dropped none, so "one message"
 * means one send, not one survivor.
 */
import { randomUUID } from 'node:crypto';
import { signatureFor } from '../../api/http/signature';
import { createNotificationRepository } from '../../prisma/repositories/notifications';
import { createSimPaymentLedger } from '../../prisma/repositories/sim-payment-ledger';
import type { CaughtMessage } from '../../tooling/mail-catcher';
import { checkoutBody, providerPaymentIdOf, trackingNumberOf, useApiHarness } from '../support/api-harness';
import { createTestProduct, type TestUser } from '../support/fixtures';
import { waitUntil } from '../support/wait';

const api = useApiHarness();

type Customer = TestUser & { token: string };

const orderNumber = (orderId: string): string => orderId.slice(0, 8).toUpperCase();
const inboxOf = (email: string): CaughtMessage[] => api.mail.messages().filter((m) => m.to.includes(email));

/** Waits for the customer's email whose subject is `subject`; fails when it never comes. */
function emailTo(customer: TestUser, subject: string, timeoutMs = 20_000): Promise<CaughtMessage> {
  return waitUntil(
    () => inboxOf(customer.email).find((m) => m.subject === subject),
    () =>
      `an email "${subject}" to ${customer.email}; inbox: ${JSON.stringify(inboxOf(customer.email).map((m) => m.subject))}`,
    { timeoutMs },
  );
}

/** The subjects the customer received, in order of arrival. */
const subjectsOf = (customer: TestUser): string[] => inboxOf(customer.email).map((m) => m.subject);

async function placeOrder(customer: Customer, token: string, quantity = 2, priceCents = 1250) {
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents });
  const res = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity }], token),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(res.status).toBe(202);
  return { orderId: res.body.orderId as string, sku };
}

function signed(path: string, secret: string, event: object) {
  const raw = JSON.stringify(event);
  return api.request('POST', path, {
    rawBody: raw,
    headers: { 'Content-Type': 'application/json', 'X-Signature': signatureFor(secret, raw) },
  });
}

const carrierEvent = (trackingNumber: string, type: string, id = `evt_${randomUUID()}`) =>
  signed('/v1/webhooks/carrier', api.deps.config.CARRIER_WEBHOOK_SECRET, {
    id,
    type,
    trackingNumber,
    occurredAt: new Date().toISOString(),
  });

test('a paid order: one order_confirmed email, listed SENT on the order and in /v1/me/notifications', async () => {
  const customer = await api.userWithToken();
  const { orderId } = await placeOrder(customer, 'tok_visa');
  await api.waitForOrder(orderId, customer.token, (o) => o.status === 'FULFILLING');

  const message = await emailTo(customer, `Order ${orderNumber(orderId)} confirmed`);
  expect(message.to).toEqual([customer.email]);
  expect(message.text).toContain('Total: $25.00');
  expect(message.text).toContain(`/orders/${orderId}`);

  const listed = await waitUntil(async () => {
    const res = await api.request('GET', `/v1/orders/${orderId}/notifications`, { token: customer.token });
    return res.status === 200 && res.body.items[0]?.status === 'SENT' ? res.body : undefined;
  }, 'the notification to be SENT');
  expect(listed.items).toEqual([
    {
      id: expect.any(String),
      type: 'order_confirmed',
      channel: 'email',
      to: customer.email,
      subject: message.subject,
      status: 'SENT',
      orderId,
      cartId: null,
      createdAt: expect.any(String),
      sentAt: expect.any(String),
    },
  ]);
  const mine = await api.request('GET', '/v1/me/notifications', { token: customer.token });
  expect(mine.status).toBe(200);
  expect(mine.body).toEqual({ items: listed.items, nextCursor: null });
  expect(subjectsOf(customer)).toEqual([message.subject]);
});

test("the order's notifications: support and admin read them, another customer gets 404", async () => {
  const customer = await api.userWithToken();
  const { orderId } = await placeOrder(customer, 'tok_visa');
  await emailTo(customer, `Order ${orderNumber(orderId)} confirmed`);

  for (const role of ['support', 'admin'] as const) {
    const staff = await api.userWithToken(role);
    const res = await api.request('GET', `/v1/orders/${orderId}/notifications`, { token: staff.token });
    expect(res.status).toBe(200);
    expect(res.body.items.map((n: { type: string }) => n.type)).toEqual(['order_confirmed']);
  }
  const other = await api.userWithToken();
  const res = await api.request('GET', `/v1/orders/${orderId}/notifications`, { token: other.token });
  expect(res.status).toBe(404);
  expect(res.body.code).toBe('not_found');
  expect((await api.request('GET', `/v1/orders/${orderId}/notifications`)).status).toBe(401);
  const theirs = await api.request('GET', '/v1/me/notifications', { token: other.token });
  expect(theirs.body.items).toEqual([]);
  // Staff have no inbox of their own here: the route is the customer's.
  const support = await api.userWithToken('support');
  expect((await api.request('GET', '/v1/me/notifications', { token: support.token })).status).toBe(403);
});

test('shipping: order_shipped with the tracking number once, however often the webhook comes; then order_delivered', async () => {
  const customer = await api.userWithToken();
  const { orderId } = await placeOrder(customer, 'tok_visa');
  const order = await api.waitForOrder(
    orderId,
    customer.token,
    (o) => o.status === 'FULFILLING' && o.shipment !== null,
  );
  const tracking = trackingNumberOf(order);

  const pickedUp = `evt_${randomUUID()}`;
  expect((await carrierEvent(tracking, 'PICKED_UP', pickedUp)).status).toBe(200);
  await api.waitForOrder(orderId, customer.token, (o) => o.status === 'SHIPPED');
  const shipped = await emailTo(customer, `Order ${orderNumber(orderId)} has shipped`);
  expect(shipped.text).toContain(`Tracking number: ${tracking}`);

  // The carrier redelivers the same event, and reports the parcel in transit: no second email.
  expect((await carrierEvent(tracking, 'PICKED_UP', pickedUp)).status).toBe(200);
  expect((await carrierEvent(tracking, 'IN_TRANSIT')).status).toBe(200);
  expect((await carrierEvent(tracking, 'DELIVERED')).status).toBe(200);
  await api.waitForOrder(orderId, customer.token, (o) => o.status === 'DELIVERED');
  await emailTo(customer, `Order ${orderNumber(orderId)} was delivered`);

  expect(subjectsOf(customer)).toEqual([
    `Order ${orderNumber(orderId)} confirmed`,
    `Order ${orderNumber(orderId)} has shipped`,
    `Order ${orderNumber(orderId)} was delivered`,
  ]);
  expect(api.mail.duplicatesDropped()).toBe(0);
  const listed = await api.request('GET', `/v1/orders/${orderId}/notifications`, { token: customer.token });
  expect(listed.body.items.map((n: { type: string }) => n.type)).toEqual([
    'order_confirmed',
    'order_shipped',
    'order_delivered',
  ]);
});

test('a declined card: one order_failed email that gives the reason', async () => {
  const customer = await api.userWithToken();
  const { orderId } = await placeOrder(customer, 'tok_declined');
  await api.waitForOrder(orderId, customer.token, (o) => o.status === 'FAILED');
  const failed = await emailTo(customer, `We could not complete order ${orderNumber(orderId)}`);
  expect(failed.text).toContain('your payment was declined.');
  expect(subjectsOf(customer)).toEqual([failed.subject]);
});

test('3-D Secure: payment_action_required when the wait begins, order_cancelled when the customer cancels', async () => {
  const customer = await api.userWithToken();
  const { orderId } = await placeOrder(customer, 'tok_3ds');
  await api.waitForOrder(orderId, customer.token, (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION');
  await emailTo(customer, `Confirm your payment for order ${orderNumber(orderId)}`);

  const cancel = await api.request('POST', `/v1/orders/${orderId}/cancel`, { token: customer.token });
  expect(cancel.status).toBe(202);
  await emailTo(customer, `Order ${orderNumber(orderId)} was cancelled`);
  expect(subjectsOf(customer)).toEqual([
    `Confirm your payment for order ${orderNumber(orderId)}`,
    `Order ${orderNumber(orderId)} was cancelled`,
  ]);
});

test('3-D Secure passed: the payment webhook, delivered twice, confirms the order in one email', async () => {
  const customer = await api.userWithToken();
  const { orderId } = await placeOrder(customer, 'tok_3ds');
  const waiting = await api.waitForOrder(orderId, customer.token, (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION');
  const event = {
    id: `evt_${randomUUID()}`,
    type: 'payment.succeeded',
    providerPaymentId: providerPaymentIdOf(waiting),
  };
  // The customer passed the bank's challenge: the provider settles, then announces it (twice).
  await createSimPaymentLedger(api.deps.db).settle(event.providerPaymentId, true);
  for (let i = 0; i < 2; i++) {
    expect((await signed('/v1/webhooks/payments', api.deps.config.PAYMENT_WEBHOOK_SECRET, event)).status).toBe(200);
  }
  await api.waitForOrder(orderId, customer.token, (o) => o.status === 'FULFILLING');
  await emailTo(customer, `Order ${orderNumber(orderId)} confirmed`);
  expect(subjectsOf(customer)).toEqual([
    `Confirm your payment for order ${orderNumber(orderId)}`,
    `Order ${orderNumber(orderId)} confirmed`,
  ]);
});

test('a refund: refund_succeeded with the amount, one email per refund', async () => {
  const customer = await api.userWithToken();
  const support = await api.userWithToken('support');
  const { orderId } = await placeOrder(customer, 'tok_visa');
  await api.waitForOrder(orderId, customer.token, (o) => o.status === 'FULFILLING');
  await emailTo(customer, `Order ${orderNumber(orderId)} confirmed`);

  for (const amountCents of [500, 700]) {
    const res = await api.request('POST', `/v1/orders/${orderId}/refunds`, {
      token: support.token,
      body: { amountCents, reason: 'damaged box' },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(202);
    const dollars = `$${(amountCents / 100).toFixed(2)}`;
    const message = await emailTo(customer, `Refund of ${dollars} for order ${orderNumber(orderId)}`);
    expect(message.text).toContain(`We refunded ${dollars}`);
  }
  const listed = await api.request('GET', `/v1/orders/${orderId}/notifications`, { token: support.token });
  expect(listed.body.items.map((n: { type: string }) => n.type)).toEqual([
    'order_confirmed',
    'refund_succeeded',
    'refund_succeeded',
  ]);
});

test('/v1/me/notifications pages newest first with an opaque cursor', async () => {
  const customer = await api.userWithToken();
  const first = await placeOrder(customer, 'tok_visa');
  await emailTo(customer, `Order ${orderNumber(first.orderId)} confirmed`);
  const second = await placeOrder(customer, 'tok_declined');
  await emailTo(customer, `We could not complete order ${orderNumber(second.orderId)}`);

  const page1 = await api.request('GET', '/v1/me/notifications?limit=1', { token: customer.token });
  expect(page1.status).toBe(200);
  expect(page1.body.items.map((n: { orderId: string }) => n.orderId)).toEqual([second.orderId]);
  expect(page1.body.nextCursor).toEqual(expect.any(String));
  const page2 = await api.request(
    'GET',
    `/v1/me/notifications?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
    { token: customer.token },
  );
  expect(page2.body.items.map((n: { orderId: string }) => n.orderId)).toEqual([first.orderId]);
  expect(page2.body.nextCursor).toBeNull();

  const bad = await api.request('GET', '/v1/me/notifications?cursor=nonsense', { token: customer.token });
  expect(bad.status).toBe(400);
  expect(bad.body.code).toBe('validation_failed');
  const tooMany = await api.request('GET', '/v1/me/notifications?limit=1000', { token: customer.token });
  expect(tooMany.status).toBe(400);
});

// Last in the file: it takes the harness's mail server down for a while.
test('SMTP down: the order completes on time; its email is PENDING, then arrives once the server is back', async () => {
  const customer = await api.userWithToken();
  await api.mail.setAccepting(false);
  let orderId: string;
  try {
    const placedAt = Date.now();
    ({ orderId } = await placeOrder(customer, 'tok_visa'));
    await api.waitForOrder(orderId, customer.token, (o) => o.status === 'FULFILLING', 10_000);
    // As fast as with a mail server (no retry pause on the order's path).
    expect(Date.now() - placedAt).toBeLessThan(10_000);

    const notifications = createNotificationRepository(api.deps.db);
    const pending = await waitUntil(async () => {
      const [n] = await notifications.listForOrder(orderId);
      const outgoing = n ? await notifications.findOutgoing(n.id) : null;
      return outgoing && outgoing.attempts >= 1 ? outgoing : undefined;
    }, 'a failed delivery attempt to be recorded');
    expect(pending).toMatchObject({ type: 'order_confirmed', status: 'PENDING', sentAt: null });
    expect(pending.lastError).toEqual(expect.any(String));
    expect(inboxOf(customer.email)).toEqual([]);
  } finally {
    await api.mail.setAccepting(true);
  }
  // The next retry (SMTP_ACTIVITY's backoff: 5 s, then 10 s) delivers it.
  await emailTo(customer, `Order ${orderNumber(orderId)} confirmed`, 40_000);
  const [n] = await createNotificationRepository(api.deps.db).listForOrder(orderId);
  expect(n).toMatchObject({ status: 'SENT', sentAt: expect.any(Date) });
  expect(subjectsOf(customer)).toHaveLength(1);
}, 60_000);
