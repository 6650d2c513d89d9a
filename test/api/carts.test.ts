/**
 * The cart contract from outside: real HTTP, a real worker and dev server, real PostgreSQL.
 * Guests and customers, every refusal, privacy, merges (concurrent ones too), checkout from a cart
 * with its Idempotency-Key rules, and the lines given back after a declined card.
 */
import { randomUUID } from 'node:crypto';
import { cartReminderWorkflowId } from '../../domain/ids';
import { CartIdKey } from '../../domain/search-attributes';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { createUserRepository } from '../../prisma/repositories/users';
import { checkoutBody, paidOrLater, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';
import { waitUntil } from '../support/wait';

const api = useApiHarness();

/** A cart, or the problem+json that refused a change. */
interface Cart {
  code?: string;
  available?: number;
  id: string;
  customerId: string | null;
  status: string;
  currency: string | null;
  items: {
    sku: string;
    name: string;
    quantity: number;
    unitPriceCents: number;
    lineTotalCents: number;
    available: number;
  }[];
  subtotalCents: number;
  orderId: string | null;
}

const newGuestCart = async (): Promise<Cart> => {
  const res = await api.request<Cart>('POST', '/v1/carts');
  expect(res.status).toBe(201);
  return res.body;
};
const add = (cartId: string, sku: string, quantity: number, token?: string) =>
  api.request<Cart>('POST', `/v1/carts/${cartId}/items`, { body: { sku, quantity }, ...(token ? { token } : {}) });
const lines = (cart: Cart) => cart.items.map((i) => [i.sku, i.quantity]);
const cartCheckout = (token: string, key: string, cartId: string, paymentToken = 'tok_visa') => {
  const { shippingAddress, paymentMethod } = checkoutBody([], paymentToken);
  return api.request('POST', '/v1/checkouts', {
    token,
    headers: { 'Idempotency-Key': key },
    body: { cartId, shippingAddress, paymentMethod },
  });
};

test('a guest adds, changes and removes lines; every read is priced at the current catalog price', async () => {
  const sku = await createTestProduct(api.deps.db, { onHand: 20, priceCents: 450 });
  const other = await createTestProduct(api.deps.db, { onHand: 5, priceCents: 1000 });
  const created = await api.request<Cart>('POST', '/v1/carts');
  expect(created.status).toBe(201);
  expect(created.headers.get('location')).toBe(`/v1/carts/${created.body.id}`);
  expect(created.body).toMatchObject({ customerId: null, status: 'OPEN', items: [], subtotalCents: 0, orderId: null });
  const cartId = created.body.id;

  expect((await add(cartId, sku, 2)).status).toBe(200);
  const grown = await add(cartId, sku, 3);
  expect(grown.body.items).toEqual([
    { sku, name: expect.any(String), quantity: 5, unitPriceCents: 450, lineTotalCents: 2250, available: 20 },
  ]);
  await add(cartId, other, 1);

  const set = await api.request<Cart>('PUT', `/v1/carts/${cartId}/items/${sku}`, { body: { quantity: 4 } });
  expect(lines(set.body)).toEqual([
    [sku, 4],
    [other, 1],
  ]);
  expect(set.body.subtotalCents).toBe(4 * 450 + 1000);

  // A price change shows on the next read: a cart never keeps a price.
  await api.deps.db.product.update({ where: { sku }, data: { priceCents: 500 } });
  expect((await api.request<Cart>('GET', `/v1/carts/${cartId}`)).body.subtotalCents).toBe(4 * 500 + 1000);

  const removed = await api.request<Cart>('DELETE', `/v1/carts/${cartId}/items/${other}`);
  expect(lines(removed.body)).toEqual([[sku, 4]]);
  const zero = await api.request<Cart>('PUT', `/v1/carts/${cartId}/items/${sku}`, { body: { quantity: 0 } });
  expect(zero.body.items).toEqual([]);
  // A cart holds no stock.
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 20, reserved: 0 });
});

test('refusals: unknown sku, more than available, bad quantities, too many lines; nothing changes', async () => {
  const sku = await createTestProduct(api.deps.db, { onHand: 3 });
  const cart = await newGuestCart();

  const unknown = await add(cart.id, `NOPE-${randomUUID()}`, 1);
  expect(unknown.status).toBe(422);
  expect(unknown.body.code).toBe('unknown_sku');
  const tooMany = await add(cart.id, sku, 4);
  expect(tooMany.status).toBe(422);
  expect(tooMany.body).toMatchObject({ code: 'insufficient_stock', available: 3 });
  for (const quantity of [0, -1, 10_001, 1.5]) {
    const bad = await add(cart.id, sku, quantity);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  }
  const badPut = await api.request('PUT', `/v1/carts/${cart.id}/items/${sku}`, { body: { quantity: 10_001 } });
  expect(badPut.status).toBe(400);
  expect((await api.request('GET', `/v1/carts/not-a-uuid`)).status).toBe(400);
  expect((await api.request('GET', `/v1/carts/${randomUUID()}`)).status).toBe(404);
  expect((await api.request<Cart>('GET', `/v1/carts/${cart.id}`)).body.items).toEqual([]);

  const skus = await Promise.all(Array.from({ length: 101 }, () => createTestProduct(api.deps.db, { onHand: 1 })));
  for (const s of skus.slice(0, 100)) expect((await add(cart.id, s, 1)).status).toBe(200);
  const overflow = await add(cart.id, skus[100]!, 1);
  expect(overflow.status).toBe(422);
  expect(overflow.body.code).toBe('cart_too_large');
  expect((await api.request<Cart>('GET', `/v1/carts/${cart.id}`)).body.items).toHaveLength(100);
});

test('customer carts are private: another customer, and a guest, get 404', async () => {
  const [alice, bob] = [await api.userWithToken(), await api.userWithToken()];
  const sku = await createTestProduct(api.deps.db, { onHand: 5 });
  const mine = await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token });
  expect(mine.status).toBe(200);
  expect(mine.body).toMatchObject({ customerId: alice.id, status: 'OPEN' });
  expect((await add(mine.body.id, sku, 1, alice.token)).status).toBe(200);

  expect((await api.request('GET', `/v1/carts/${mine.body.id}`, { token: bob.token })).status).toBe(404);
  expect((await api.request('GET', `/v1/carts/${mine.body.id}`)).status).toBe(404);
  expect((await add(mine.body.id, sku, 1, bob.token)).status).toBe(404);
  expect(
    (await api.request('POST', '/v1/me/cart/merge', { token: bob.token, body: { cartId: mine.body.id } })).status,
  ).toBe(404);
  // POST /v1/carts with a customer's token is their one open cart.
  const again = await api.request<Cart>('POST', '/v1/carts', { token: alice.token });
  expect(again.body.id).toBe(mine.body.id);
  expect(lines((await api.request<Cart>('GET', `/v1/carts/${mine.body.id}`, { token: alice.token })).body)).toEqual([
    [sku, 1],
  ]);
  // An invalid token is refused, not treated as a guest.
  expect((await api.request('POST', '/v1/carts', { token: 'not-a-token' })).status).toBe(401);
});

test('a token ended by a role change is 401 on every cart route, and its change changes nothing', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 5 });
  const cart = await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token });
  expect((await add(cart.body.id, sku, 2, alice.token)).status).toBe(200);
  const guest = await newGuestCart();
  // The cart routes check the token's version in the cart's own statement: a stale one must still
  // be refused there, on the customer's cart and on a guest cart alike, before anything changes.
  expect(await createUserRepository(api.deps.db).changeRole(alice.id, 'support')).toBe(true);

  const refused = [
    await add(cart.body.id, sku, 1, alice.token),
    await add(guest.id, sku, 1, alice.token),
    await api.request('PUT', `/v1/carts/${cart.body.id}/items/${sku}`, { token: alice.token, body: { quantity: 5 } }),
    await api.request('DELETE', `/v1/carts/${cart.body.id}/items/${sku}`, { token: alice.token }),
    await api.request('GET', `/v1/carts/${cart.body.id}`, { token: alice.token }),
    await api.request('GET', `/v1/carts/${guest.id}`, { token: alice.token }),
    await api.request('POST', '/v1/carts', { token: alice.token }),
  ];
  for (const res of refused) {
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'unauthorized' });
  }
  const rows = await api.deps.db.cartLine.findMany({
    where: { cartId: { in: [cart.body.id, guest.id] } },
    select: { cartId: true, sku: true, quantity: true },
  });
  expect(rows).toEqual([{ cartId: cart.body.id, sku, quantity: 2 }]);
  // The guest cart itself is still anyone's who holds its id.
  expect((await api.request<Cart>('GET', `/v1/carts/${guest.id}`)).body).toMatchObject({ id: guest.id, items: [] });
});

test('sign-in merge sums quantities capped at what is available, and the guest cart becomes MERGED', async () => {
  const alice = await api.userWithToken();
  const [a, b, c] = [
    await createTestProduct(api.deps.db, { onHand: 5 }),
    await createTestProduct(api.deps.db, { onHand: 10 }),
    await createTestProduct(api.deps.db, { onHand: 10 }),
  ];
  const mine = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;
  await add(mine.id, a, 3, alice.token);
  await add(mine.id, b, 1, alice.token);
  const guest = await newGuestCart();
  await add(guest.id, a, 4);
  await add(guest.id, c, 2);

  const merged = await api.request<Cart>('POST', '/v1/me/cart/merge', {
    token: alice.token,
    body: { cartId: guest.id },
  });
  expect(merged.status).toBe(200);
  expect(merged.body.id).toBe(mine.id);
  expect(Object.fromEntries(lines(merged.body))).toEqual({ [a]: 5, [b]: 1, [c]: 2 });
  expect((await api.request<Cart>('GET', `/v1/carts/${guest.id}`)).body.status).toBe('MERGED');
  const late = await add(guest.id, b, 1);
  expect(late.status).toBe(409);
  expect(late.body.code).toBe('cart_closed');
  const twice = await api.request('POST', '/v1/me/cart/merge', { token: alice.token, body: { cartId: guest.id } });
  expect(twice.status).toBe(409);
  expect(
    Object.fromEntries(lines((await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body)),
  ).toEqual({
    [a]: 5,
    [b]: 1,
    [c]: 2,
  });
});

test('concurrent adds during merges never lose or double a line', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10_000 });
  const mine = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;
  const guests = await Promise.all(Array.from({ length: 4 }, () => newGuestCart()));
  for (const g of guests) await add(g.id, sku, 10);

  // Adds to the customer's cart race the merges; each merge and each add is all or nothing.
  const results = await Promise.all([
    ...guests.map((g) => api.request('POST', '/v1/me/cart/merge', { token: alice.token, body: { cartId: g.id } })),
    ...Array.from({ length: 10 }, () => add(mine.id, sku, 1, alice.token)),
    // Adds to a guest cart that is being merged: either in before the merge (and merged) or refused.
    ...guests.map((g) => add(g.id, sku, 100)),
  ]);
  const guestAdds = results.slice(14);
  expect(results.slice(0, 14).every((r) => r.status === 200)).toBe(true);
  const addedToGuests = guestAdds.filter((r) => r.status === 200).length;
  expect(guestAdds.every((r) => r.status === 200 || (r.status === 409 && r.body.code === 'cart_closed'))).toBe(true);

  const final = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;
  expect(lines(final)).toEqual([[sku, 4 * 10 + 10 + 100 * addedToGuests]]);
});

test('checkout from a cart closes it with the order; the same key again is the same order', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 700 });
  const cart = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;
  await add(cart.id, sku, 3, alice.token);
  const key = randomUUID();

  const first = await cartCheckout(alice.token, key, cart.id);
  expect(first.status).toBe(202);
  const order = await api.waitForOrder(first.body.orderId, alice.token, paidOrLater);
  expect(order).toMatchObject({ totalCents: 2100, items: [{ sku, quantity: 3, unitPriceCents: 700 }] });
  const closed = (await api.request<Cart>('GET', `/v1/carts/${cart.id}`, { token: alice.token })).body;
  expect(closed).toMatchObject({ status: 'CHECKED_OUT', orderId: first.body.orderId });

  const replay = await cartCheckout(alice.token, key, cart.id);
  expect(replay.status).toBe(200);
  expect(replay.body.orderId).toBe(first.body.orderId);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  // A new key for the closed cart orders nothing.
  const other = await cartCheckout(alice.token, randomUUID(), cart.id);
  expect(other.status).toBe(404);
  expect(await api.deps.db.order.count({ where: { customerId: alice.id } })).toBe(1);
  // The customer's open cart is a new, empty one.
  const next = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;
  expect(next.id).not.toBe(cart.id);
  expect(next.items).toEqual([]);
});

test('checkout from a cart: both items and cartId, an empty cart, and someone else’s cart are refused', async () => {
  const [alice, bob] = [await api.userWithToken(), await api.userWithToken()];
  const sku = await createTestProduct(api.deps.db, { onHand: 10 });
  const cart = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;

  const empty = await cartCheckout(alice.token, randomUUID(), cart.id);
  expect(empty.status).toBe(422);
  expect(empty.body.code).toBe('cart_empty');
  await add(cart.id, sku, 1, alice.token);
  const both = await api.request('POST', '/v1/checkouts', {
    token: alice.token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { ...checkoutBody([{ sku, quantity: 1 }]), cartId: cart.id },
  });
  expect(both.status).toBe(400);
  expect(both.body.code).toBe('validation_failed');
  const { shippingAddress, paymentMethod } = checkoutBody([]);
  const neither = await api.request('POST', '/v1/checkouts', {
    token: alice.token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { shippingAddress, paymentMethod },
  });
  expect(neither.status).toBe(400);
  expect((await cartCheckout(bob.token, randomUUID(), cart.id)).status).toBe(404);
  const guest = await newGuestCart();
  await add(guest.id, sku, 1);
  expect((await cartCheckout(alice.token, randomUUID(), guest.id)).status).toBe(404);
  expect(await api.deps.db.order.count({ where: { customerId: { in: [alice.id, bob.id] } } })).toBe(0);
  expect((await api.request<Cart>('GET', `/v1/carts/${cart.id}`, { token: alice.token })).body.status).toBe('OPEN');
});

test('two keys racing for one cart: exactly one order', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10 });
  const cart = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;
  await add(cart.id, sku, 2, alice.token);

  const answers = await Promise.all(Array.from({ length: 5 }, () => cartCheckout(alice.token, randomUUID(), cart.id)));
  const accepted = answers.filter((r) => r.status === 202);
  expect(accepted).toHaveLength(1);
  expect(answers.filter((r) => r.status !== 202).every((r) => r.status === 404 || r.status === 409)).toBe(true);
  await api.waitForOrder(accepted[0]!.body.orderId, alice.token, paidOrLater);
  expect(await api.deps.db.order.count({ where: { customerId: alice.id } })).toBe(1);
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 8, reserved: 0 });
});

test('a declined card: the order FAILS and the customer’s open cart holds the same lines again', async () => {
  const alice = await api.userWithToken();
  const [a, b] = [
    await createTestProduct(api.deps.db, { onHand: 10 }),
    await createTestProduct(api.deps.db, { onHand: 10 }),
  ];
  const cart = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;
  await add(cart.id, a, 2, alice.token);
  await add(cart.id, b, 1, alice.token);

  const res = await cartCheckout(alice.token, randomUUID(), cart.id, 'tok_declined');
  expect(res.status).toBe(202);
  const order = await api.waitForOrder(res.body.orderId, alice.token, (o) => o.status === 'FAILED');
  expect(order.failureReason).toBe('PAYMENT_DECLINED');

  const back = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;
  expect(back.id).not.toBe(cart.id);
  expect(Object.fromEntries(lines(back))).toEqual({ [a]: 2, [b]: 1 });
  // Lines given back are a change of the cart: its abandoned-cart timer runs again.
  await expectTimerRunning(back.id);
  // Retrying with a good card orders the same lines.
  const retry = await cartCheckout(alice.token, randomUUID(), back.id);
  expect(retry.status).toBe(202);
  const paid = await api.waitForOrder(retry.body.orderId, alice.token, paidOrLater);
  expect(paid.items.map((i) => [i.sku, i.quantity]).sort()).toEqual(
    [
      [a, 2],
      [b, 1],
    ].sort(),
  );
});

test.each([
  ['before payment (3-D Secure pending)', 'tok_3ds', 'AWAITING_PAYMENT_CONFIRMATION'],
  ['after payment, before pick-up', 'tok_visa', 'FULFILLING'],
])('a cancelled order %s: the customer’s open cart holds its lines again, once', async (_when, token, waitFor) => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10 });
  const cart = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;
  await add(cart.id, sku, 3, alice.token);
  const res = await cartCheckout(alice.token, randomUUID(), cart.id, token);
  await api.waitForOrder(res.body.orderId, alice.token, (o) => o.status === waitFor);

  const cancel = await api.request('POST', `/v1/orders/${res.body.orderId}/cancel`, { token: alice.token, body: {} });
  expect(cancel.status).toBe(202);
  await api.waitForOrder(res.body.orderId, alice.token, (o) => o.status === 'CANCELLED');
  // The restore runs in the transaction that cancels; wait for the workflow to have done it.
  const back = await waitForCartLines(alice.token);
  expect(lines(back)).toEqual([[sku, 3]]);
  await expectTimerRunning(back.id);
  // Once: a second cancel request changes nothing.
  await api.request('POST', `/v1/orders/${res.body.orderId}/cancel`, { token: alice.token, body: {} });
  expect(lines((await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body)).toEqual([[sku, 3]]);
});

/** The cart's abandoned-cart timer is (or soon is) running, as the workflow restarts it after the restore. */
async function expectTimerRunning(cartId: string): Promise<void> {
  const handle = api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cartId));
  const status = await waitUntil(
    () =>
      handle.describe().then(
        (d) => (d.status.name === 'RUNNING' ? d.status.name : undefined),
        () => undefined,
      ),
    `the reminder timer of cart ${cartId} to run`,
    { timeoutMs: 10_000 },
  );
  expect(status).toBe('RUNNING');
}

async function waitForCartLines(token: string): Promise<Cart> {
  for (let i = 0; i < 100; i++) {
    const cart = (await api.request<Cart>('GET', '/v1/me/cart', { token })).body;
    if (cart.items.length > 0) return cart;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the cart never got its lines back');
}

test('a customer cart’s abandoned-cart timer: started by a change, findable by CartId, ended by checkout', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10 });
  const cart = (await api.request<Cart>('GET', '/v1/me/cart', { token: alice.token })).body;
  await add(cart.id, sku, 1, alice.token);
  await add(cart.id, sku, 1, alice.token);

  const handle = api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cart.id));
  const running = await handle.describe();
  expect(running.status.name).toBe('RUNNING');
  expect(running.typedSearchAttributes.get(CartIdKey)).toBe(cart.id);
  // Visibility is eventually consistent: the list may lag the start by a moment under load.
  const listed = async (): Promise<string[] | undefined> => {
    const ids: string[] = [];
    for await (const wf of api.deps.temporal.workflow.list({ query: `CartId="${cart.id}"` })) ids.push(wf.workflowId);
    return ids.length > 0 ? ids : undefined;
  };
  expect(await waitUntil(listed, 'the cart timer in visibility', { timeoutMs: 10_000 })).toEqual([
    cartReminderWorkflowId(cart.id),
  ]);

  const res = await cartCheckout(alice.token, randomUUID(), cart.id);
  expect(res.status).toBe(202);
  expect(await handle.result()).toBe('ENDED');
  // A guest cart has nobody to remind: no timer.
  const guest = await newGuestCart();
  await add(guest.id, sku, 1);
  await expect(api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(guest.id)).describe()).rejects.toThrow();
});
