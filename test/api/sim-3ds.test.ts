/**
 * docs/api.md#the-simulated-bank-3-d-secure and docs/api.md#web-pages: the simulated bank's challenge page, over real
 * HTTP. Confirm/fail settle the charge at the simulated provider, whose signed webhook then reaches
 * /v1/webhooks/payments over HTTP; the checkout pays only after asking the provider.
 */
import { randomUUID } from 'node:crypto';
import { createApp } from '../../api/app';
import { PAGE_CSP } from '../../api/sim/challenge-pages';
import { checkoutBody, paidOrLater, providerPaymentIdOf, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();

async function awaitingConfirmation() {
  const customer = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 5, priceCents: 1250 });
  const res = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity: 2 }], 'tok_3ds'),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(res.status).toBe(202);
  const order = await api.waitForOrder(
    res.body.orderId,
    customer.token,
    (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION',
  );
  return { customer, order, providerPaymentId: providerPaymentIdOf(order) };
}

/** What a browser sends when a button of the page's forms is pressed (no client script). */
const press = (providerPaymentId: string, action: 'confirm' | 'fail', headers: Record<string, string> = {}) =>
  fetch(`${api.baseUrl}/sim/3ds/${providerPaymentId}/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: '',
    redirect: 'manual',
  });

const button = (name: string) => new RegExp(`<button type="submit">\\s*${name}\\s*</button>`);

test('the challenge page offers "Confirm payment" and "Fail payment"; confirming pays the order', async () => {
  const { customer, order, providerPaymentId } = await awaitingConfirmation();

  const page = await fetch(`${api.baseUrl}/sim/3ds/${providerPaymentId}`);
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
  expect(page.headers.get('x-frame-options')).toBe('DENY');
  expect(html).toMatch(button('Confirm payment'));
  expect(html).toMatch(button('Fail payment'));
  expect(html).toContain(`action="/sim/3ds/${providerPaymentId}/confirm"`);
  expect(html).not.toMatch(/<script|<link|<img|style=/i); // nothing the CSP would have to allow

  const confirmed = await press(providerPaymentId, 'confirm');
  expect(confirmed.status).toBe(200);
  expect(await confirmed.text()).toContain('Payment confirmed');

  const paid = await api.waitForOrder(order.id, customer.token, paidOrLater);
  expect(paid.payment).toEqual({ status: 'CAPTURED', providerPaymentId });
  expect((await api.deps.db.payment.findUnique({ where: { orderId: order.id } }))?.capturedCents).toBe(2500);
  // The simulator's own webhook came in over HTTP and was recorded in the inbox.
  expect(
    await api.deps.db.webhookEvent.count({
      where: { source: 'payments', payload: { path: ['providerPaymentId'], equals: providerPaymentId } },
    }),
  ).toBe(1);
});

test('"Fail payment" fails the order with PAYMENT_DECLINED', async () => {
  const { customer, order, providerPaymentId } = await awaitingConfirmation();
  const failed = await press(providerPaymentId, 'fail');
  expect(failed.status).toBe(200);
  expect(await failed.text()).toContain('Payment failed');
  const ended = await api.waitForOrder(order.id, customer.token, (o) => o.status === 'FAILED');
  expect(ended.failureReason).toBe('PAYMENT_DECLINED');
});

test('an unknown payment is 404, a settled one 409, both problem+json', async () => {
  for (const path of ['/sim/3ds/pi_sim_unknown', '/sim/3ds/pi_sim_unknown/confirm', '/sim/3ds/%3Cscript%3E']) {
    const res = await api.request(path.endsWith('confirm') ? 'POST' : 'GET', path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('not_found');
  }
  const { customer, order, providerPaymentId } = await awaitingConfirmation();
  expect((await press(providerPaymentId, 'confirm')).status).toBe(200);
  for (const [method, path] of [
    ['POST', `/sim/3ds/${providerPaymentId}/fail`],
    ['POST', `/sim/3ds/${providerPaymentId}/confirm`],
    ['GET', `/sim/3ds/${providerPaymentId}`],
  ] as const) {
    const res = await api.request(method, path);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('payment_already_settled');
  }
  // The late "fail" changed nothing: the provider captured, the order is paid.
  await api.waitForOrder(order.id, customer.token, paidOrLater);
});

test("another site's post to confirm or fail is 403 and settles nothing; the bank's own page's post goes through", async () => {
  const { customer, order, providerPaymentId } = await awaitingConfirmation();
  const hostile: Record<string, string>[] = [
    { 'Sec-Fetch-Site': 'cross-site' },
    { 'Sec-Fetch-Site': 'same-site' },
    { Origin: 'https://evil.example' },
    { Origin: 'null' },
  ];
  for (const headers of hostile) {
    for (const action of ['confirm', 'fail'] as const) {
      const res = await press(providerPaymentId, action, headers);
      expect({ headers, action, status: res.status }).toEqual({ headers, action, status: 403 });
      expect((await res.json()) as { code: string }).toMatchObject({ code: 'forbidden' });
    }
  }
  const charge = await api.deps.db.simPaymentCharge.findUnique({ where: { id: providerPaymentId } });
  expect(charge?.status).toBe('requires_action');
  const still = await api.request('GET', `/v1/orders/${order.id}`, { token: customer.token });
  expect(still.body.status).toBe('AWAITING_PAYMENT_CONFIRMATION');

  // What Chromium sends from the challenge page itself.
  const own = await press(providerPaymentId, 'confirm', { 'Sec-Fetch-Site': 'same-origin', Origin: api.baseUrl });
  expect(own.status).toBe(200);
  await api.waitForOrder(order.id, customer.token, paidOrLater);
});

test('an unsigned webhook for a charge the bank has not settled changes nothing', async () => {
  const { customer, order, providerPaymentId } = await awaitingConfirmation();
  const res = await api.request('POST', '/v1/webhooks/payments', {
    body: { id: `evt_${randomUUID()}`, type: 'payment.succeeded', providerPaymentId },
  });
  expect(res.status).toBe(401);
  await new Promise((r) => setTimeout(r, 500));
  expect((await api.request('GET', `/v1/orders/${order.id}`, { token: customer.token })).body.status).toBe(
    'AWAITING_PAYMENT_CONFIRMATION',
  );
  // The page still offers the challenge: nothing was settled.
  expect((await fetch(`${api.baseUrl}/sim/3ds/${providerPaymentId}`)).status).toBe(200);
});

test('without the simulated provider (PROVIDERS=external, or production by default) the routes do not exist', async () => {
  const { providerPaymentId } = await awaitingConfirmation();
  const configs = [
    { ...api.deps.config, PROVIDERS: 'external' as const },
    { ...api.deps.config, NODE_ENV: 'production' as const, PROVIDERS: undefined },
  ];
  for (const config of configs) {
    const app = createApp({ ...api.deps, config });
    for (const [method, path] of [
      ['GET', `/sim/3ds/${providerPaymentId}`],
      ['POST', `/sim/3ds/${providerPaymentId}/confirm`],
      ['POST', `/sim/3ds/${providerPaymentId}/fail`],
    ] as const) {
      const res = await app.request(path, { method });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('not_found');
    }
  }
  // Nothing was settled behind the 404s.
  expect((await api.deps.db.simPaymentCharge.findUnique({ where: { id: providerPaymentId } }))?.status).toBe(
    'requires_action',
  );
});
