/**
 * The support console's forms at the HTTP level: CSRF on every form, amounts in major units turned
 * into exact cents or refused, a form sent twice making one refund, and no console for customers.
 */
import { randomUUID } from 'node:crypto';
import { checkoutBody, paidOrLater, useApiHarness, type ApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';
import { WebClient } from '../support/web-client';

const api = useApiHarness();
type User = Awaited<ReturnType<ApiHarness['userWithToken']>>;
let customer: User;
let support: User;
let orderId: string;

beforeAll(async () => {
  [customer, support] = await Promise.all([api.userWithToken('customer'), api.userWithToken('support')]);
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 10_000 });
  const checkout = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity: 1 }]),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  orderId = checkout.body.orderId;
  await api.waitForOrder(orderId, customer.token, paidOrLater);
}, 60_000);

async function signedIn(user: User): Promise<WebClient> {
  const web = new WebClient(api.baseUrl);
  const csrf = await web.csrfTokenOf('/login');
  const res = await web.post('/login', { _csrf: csrf, email: user.email, password: user.password, next: '/' });
  expect(res.status).toBe(303);
  return web;
}

const refundCount = async () =>
  ((await api.request('GET', `/v1/orders/${orderId}/refunds`, { token: support.token })).body.items as unknown[])
    .length;

test('a console form without its CSRF token changes nothing', async () => {
  const web = await signedIn(support);
  const before = await refundCount();
  const forged = await web.post(`/console/orders/${orderId}/refunds`, {
    amount: '1.00',
    reason: 'forged',
    idempotencyKey: randomUUID(),
  });
  expect(forged.status).toBe(403);
  const wrong = await web.post(`/console/orders/${orderId}/cancel`, { _csrf: 'not-the-token' });
  expect(wrong.status).toBe(403);
  expect(await refundCount()).toBe(before);
  expect((await api.request('GET', `/v1/orders/${orderId}`, { token: support.token })).body.status).not.toBe(
    'CANCELLED',
  );
});

test('amounts are major units, turned into exact cents; anything else is refused and kept in the form', async () => {
  const web = await signedIn(support);
  const page = `/console/orders/${orderId}`;
  const before = await refundCount();
  for (const [amount, message] of [
    ['12.345', 'Use at most 2 decimals.'],
    ['-5', 'Enter an amount such as 12.50.'],
    ['1e3', 'Enter an amount such as 12.50.'],
    ['0', 'Enter an amount above zero.'],
  ] as const) {
    const res = await web.post(`${page}/refunds`, {
      _csrf: await web.csrfTokenOf(page),
      amount,
      reason: 'typo',
      idempotencyKey: randomUUID(),
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`value="${amount}"`);
  }
  expect(await refundCount()).toBe(before);

  // Sent twice (a double click, a resubmitted page): one refund of exactly 1999 cents.
  const form = { _csrf: await web.csrfTokenOf(page), amount: '19.99', reason: 'late', idempotencyKey: randomUUID() };
  for (let i = 0; i < 2; i++) {
    const res = await web.post(`${page}/refunds`, form);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${page}?notice=refund`);
  }
  const refunds = (await api.request('GET', `/v1/orders/${orderId}/refunds`, { token: support.token })).body.items;
  expect(refunds).toHaveLength(before + 1);
  expect(refunds.at(-1)).toMatchObject({ amountCents: 1_999, reason: 'late', requestedBy: support.id });

  // More than is left: the API's refusal, in words, with what is still refundable.
  const tooMuch = await web.post(`${page}/refunds`, {
    _csrf: await web.csrfTokenOf(page),
    amount: '1000',
    reason: 'everything',
    idempotencyKey: randomUUID(),
  });
  expect(tooMuch.status).toBe(422);
  expect(tooMuch.text).toContain('At most $80.01 can still be refunded.');
});

test('"Cancel order" cancels through the API: a paid order ends CANCELLED and refunded in full', async () => {
  const sku = await createTestProduct(api.deps.db, { onHand: 5, priceCents: 2_500 });
  const checkout = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity: 2 }]),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  const id: string = checkout.body.orderId;
  await api.waitForOrder(id, customer.token, paidOrLater);
  const web = await signedIn(support);
  const page = `/console/orders/${id}`;
  const res = await web.post(`${page}/cancel`, { _csrf: await web.csrfTokenOf(page) });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(`${page}?notice=cancel`);
  const cancelled = await api.waitForOrder(
    id,
    support.token,
    (o) => o.status === 'CANCELLED' && o.refundedCents === 5_000,
  );
  expect(cancelled.payment?.status).toBe('REFUNDED');
  // Once cancelled there is nothing left to cancel: the page offers no button, and a stale form is refused in words.
  const after = await web.get(page);
  expect(after.text).not.toContain('Cancel order</button>');
  const again = await web.post(`${page}/cancel`, { _csrf: await web.csrfTokenOf(page) });
  expect(again.status).toBe(409);
  expect(again.text).toContain('This order can no longer be cancelled');
});

test('customers and guests are sent to /login, and their posts do nothing', async () => {
  const guest = new WebClient(api.baseUrl);
  const res = await guest.get('/console?email=x%40y.z');
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/login?next=%2Fconsole');

  const web = await signedIn(customer);
  const before = await refundCount();
  for (const path of ['/console', `/console/orders/${orderId}`]) {
    const page = await web.get(path);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
  }
  const csrf = await web.csrfTokenOf('/login');
  const post = await web.post(`/console/orders/${orderId}/refunds`, {
    _csrf: csrf,
    amount: '1.00',
    reason: 'me',
    idempotencyKey: randomUUID(),
  });
  expect(post.status).toBe(303);
  expect(post.headers.get('location')).toContain('/login');
  expect(await refundCount()).toBe(before);
});
