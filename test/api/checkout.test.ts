/**
 * docs/api.md#checkout from outside: real HTTP, real worker, real dev server, real PostgreSQL.
 * Every assertion is on outcomes: statuses, amounts, stock, rows, charges at the provider.
 */
import { randomUUID } from 'node:crypto';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { checkoutBody, paidOrLater, startApiHarness, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();

const stock = (sku: string) => createInventoryRepository(api.deps.db).getStock(sku);
const post = (token: string, key: string | undefined, body: unknown) =>
  api.request('POST', '/v1/checkouts', { token, body, headers: key === undefined ? {} : { 'Idempotency-Key': key } });

test('tok_visa: 202 with Location as soon as the order exists, then PAID at the catalog price', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 1250 });

  const res = await post(alice.token, randomUUID(), checkoutBody([{ sku, quantity: 2 }]));

  expect(res.status).toBe(202);
  expect(res.body).toEqual({
    orderId: expect.any(String),
    status: 'PENDING',
    workflowId: expect.stringMatching(/^checkout-/),
  });
  expect(res.headers.get('location')).toBe(`/v1/orders/${res.body.orderId}`);
  const order = await api.waitForOrder(res.body.orderId, alice.token, paidOrLater);
  expect(order).toMatchObject({
    id: res.body.orderId,
    customerId: alice.id,
    currency: 'USD',
    totalCents: 2500,
    refundedCents: 0,
    items: [{ sku, quantity: 2, unitPriceCents: 1250 }],
    payment: { status: 'CAPTURED', providerPaymentId: expect.stringMatching(/^pi_sim_/) },
    failureReason: null,
    workflowId: res.body.workflowId,
  });
  expect(await stock(sku)).toEqual({ onHand: 8, reserved: 0 });
  expect((await api.request('GET', `/v1/products/${sku}`)).body.available).toBe(8);
});

test('tok_declined: order FAILED with PAYMENT_DECLINED and the stock released', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 5 });

  const res = await post(alice.token, randomUUID(), checkoutBody([{ sku, quantity: 3 }], 'tok_declined'));

  expect(res.status).toBe(202);
  const order = await api.waitForOrder(res.body.orderId, alice.token, (o) => o.status === 'FAILED');
  expect(order.failureReason).toBe('PAYMENT_DECLINED');
  expect(order.payment?.status).toBe('FAILED');
  expect(await stock(sku)).toEqual({ onHand: 5, reserved: 0 });
});

test('not enough stock: order FAILED with OUT_OF_STOCK and no payment attempted', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 1 });

  const res = await post(alice.token, randomUUID(), checkoutBody([{ sku, quantity: 2 }]));

  const order = await api.waitForOrder(res.body.orderId, alice.token, (o) => o.status === 'FAILED');
  expect(order.failureReason).toBe('OUT_OF_STOCK');
  expect(order.payment).toBeNull();
  expect(await api.deps.db.simPaymentCharge.count({ where: { idempotencyKey: { contains: res.body.orderId } } })).toBe(
    0,
  );
  expect(await stock(sku)).toEqual({ onHand: 1, reserved: 0 });
});

test('unknown sku: 422 unknown_sku and no order', async () => {
  const alice = await api.userWithToken();
  const res = await post(alice.token, randomUUID(), checkoutBody([{ sku: 'NOT-IN-CATALOG', quantity: 1 }]));
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ code: 'unknown_sku', status: 422 });
  expect(await api.deps.db.order.count({ where: { customerId: alice.id } })).toBe(0);
});

test('Idempotency-Key is required: missing, empty or over 255 characters is 400', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db);
  for (const key of [undefined, '', 'k'.repeat(256)]) {
    const res = await post(alice.token, key, checkoutBody([{ sku, quantity: 1 }]));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('idempotency_key_required');
  }
  expect(await api.deps.db.order.count({ where: { customerId: alice.id } })).toBe(0);
});

test('same key and body: same order again, one order and one charge; other body: 409', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10 });
  const key = randomUUID();
  const body = checkoutBody([{ sku, quantity: 1 }]);

  const first = await post(alice.token, key, body);
  await api.waitForOrder(first.body.orderId, alice.token, paidOrLater);
  const repeat = await post(alice.token, key, body);
  const conflicting = await post(alice.token, key, checkoutBody([{ sku, quantity: 2 }]));

  expect(first.status).toBe(202);
  expect([200, 202]).toContain(repeat.status);
  expect(repeat.body.orderId).toBe(first.body.orderId);
  expect(conflicting.status).toBe(409);
  expect(conflicting.body.code).toBe('idempotency_key_reuse');
  expect(await api.deps.db.order.count({ where: { customerId: alice.id } })).toBe(1);
  expect(await stock(sku)).toEqual({ onHand: 9, reserved: 0 });
});

test('the same key from another customer is another checkout', async () => {
  const [alice, bob] = [await api.userWithToken(), await api.userWithToken()];
  const sku = await createTestProduct(api.deps.db);
  const key = randomUUID();
  const a = await post(alice.token, key, checkoutBody([{ sku, quantity: 1 }]));
  const b = await post(bob.token, key, checkoutBody([{ sku, quantity: 1 }]));
  expect(a.status).toBe(202);
  expect(b.status).toBe(202);
  expect(b.body.orderId).not.toBe(a.body.orderId);
});

test('fifty identical requests at once: one order, one charge, one reservation', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 50 });
  const key = randomUUID();
  const body = checkoutBody([{ sku, quantity: 2 }]);

  const responses = await Promise.all(Array.from({ length: 50 }, () => post(alice.token, key, body)));

  expect(responses.map((r) => r.status).every((s) => s === 200 || s === 202)).toBe(true);
  const ids = new Set(responses.map((r) => r.body.orderId));
  expect(ids.size).toBe(1);
  const [orderId] = [...ids] as string[];
  await api.waitForOrder(orderId!, alice.token, paidOrLater);
  expect(await api.deps.db.order.count({ where: { customerId: alice.id } })).toBe(1);
  expect(await api.deps.db.simPaymentCharge.count({ where: { idempotencyKey: { contains: orderId! } } })).toBe(1);
  expect(await stock(sku)).toEqual({ onHand: 48, reserved: 0 });
});

test('concurrent checkouts never oversell: 12 customers, 5 units', async () => {
  const sku = await createTestProduct(api.deps.db, { onHand: 5 });
  const customers = await Promise.all(Array.from({ length: 12 }, () => api.userWithToken()));

  const started = await Promise.all(
    customers.map((c) => post(c.token, randomUUID(), checkoutBody([{ sku, quantity: 1 }]))),
  );
  const finals = await Promise.all(
    started.map((r, i) =>
      api.waitForOrder(r.body.orderId, customers[i]!.token, (o) => paidOrLater(o) || o.status === 'FAILED'),
    ),
  );

  expect(finals.filter(paidOrLater)).toHaveLength(5);
  expect(finals.filter((o) => o.status === 'FAILED').every((o) => o.failureReason === 'OUT_OF_STOCK')).toBe(true);
  expect(await stock(sku)).toEqual({ onHand: 0, reserved: 0 });
});

describe('bad input is 400 validation_failed and creates nothing', () => {
  const valid = () => checkoutBody([{ sku: 'ANY', quantity: 1 }]);
  const cases: [string, () => unknown][] = [
    ['negative quantity', () => ({ ...valid(), items: [{ sku: 'ANY', quantity: -1 }] })],
    ['zero quantity', () => ({ ...valid(), items: [{ sku: 'ANY', quantity: 0 }] })],
    ['fractional quantity', () => ({ ...valid(), items: [{ sku: 'ANY', quantity: 1.5 }] })],
    ['quantity as a string', () => ({ ...valid(), items: [{ sku: 'ANY', quantity: '1' }] })],
    ['no items', () => ({ ...valid(), items: [] })],
    ['items missing', () => ({ shippingAddress: valid().shippingAddress, paymentMethod: valid().paymentMethod })],
    [
      'address missing city',
      () => ({ ...valid(), shippingAddress: { name: 'A', line1: 'B', postalCode: 'C', country: 'GB' } }),
    ],
    ['payment token missing', () => ({ ...valid(), paymentMethod: {} })],
    ['body is an array', () => [valid()]],
  ];

  test.each(cases)('%s', async (_name, body) => {
    const alice = await api.userWithToken();
    const res = await post(alice.token, randomUUID(), body());
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(await api.deps.db.order.count({ where: { customerId: alice.id } })).toBe(0);
  });

  test('invalid JSON', async () => {
    const alice = await api.userWithToken();
    const res = await api.request('POST', '/v1/checkouts', {
      token: alice.token,
      rawBody: '{"items": [',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});

test('unknown fields are ignored: the client cannot set prices, statuses or owners', async () => {
  const [alice, bob] = [await api.userWithToken(), await api.userWithToken()];
  const sku = await createTestProduct(api.deps.db, { priceCents: 5000 });
  const body = {
    ...checkoutBody([{ sku, quantity: 1 }]),
    status: 'PAID',
    customerId: bob.id,
    totalCents: 1,
  };
  (body.items[0] as Record<string, unknown>).unitPriceCents = 1;

  const res = await post(alice.token, randomUUID(), body);
  const order = await api.waitForOrder(res.body.orderId, alice.token, paidOrLater);

  expect(order.customerId).toBe(alice.id);
  expect(order.totalCents).toBe(5000);
  expect(order.items[0]?.unitPriceCents).toBe(5000);
});

test('checkouts beyond the per-customer rate limit get 429 with Retry-After', async () => {
  const limited = await startApiHarness({ CHECKOUT_RATE_LIMIT_PER_MINUTE: '3' });
  try {
    const alice = await limited.userWithToken();
    const sku = await createTestProduct(limited.deps.db);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await limited.request('POST', '/v1/checkouts', {
        token: alice.token,
        body: checkoutBody([{ sku, quantity: 1 }]),
        headers: { 'Idempotency-Key': randomUUID() },
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(last?.body.code).toBe('rate_limited');
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.deps.db.order.count({ where: { customerId: alice.id } })).toBe(3);
  } finally {
    await limited.close();
  }
});
