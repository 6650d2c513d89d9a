/**
 * The state the hostile requests aim at, built with valid requests before any snapshot is taken:
 * two customers, support, admin, two products, and Alice's orders in the states worth attacking
 * (paid with a shipment label, waiting for 3-D Secure, failed, paid big with a refund waiting for
 * approval), plus a refund that already succeeded. Everything is waited for until it stops moving,
 * so that whatever changes afterwards was changed by a hostile request.
 */
import { randomUUID } from 'node:crypto';
import { checkoutBody, startApiHarness, type ApiHarness, type OrderView } from '../api-harness';
import { createTestProduct, type TestUser } from '../fixtures';
import { waitUntil } from '../wait';

export type UserWithToken = TestUser & { token: string };

export interface WorldOrder {
  id: string;
  idempotencyKey: string;
  body: ReturnType<typeof checkoutBody>;
  totalCents: number;
  providerPaymentId: string | null;
  trackingNumber: string | null;
}

export interface World {
  api: ApiHarness;
  alice: UserWithToken;
  bob: UserWithToken;
  support: UserWithToken;
  admin: UserWithToken;
  /** Ids of nobody: subjects for forged tokens, and order ids that do not exist. */
  phantomIds: string[];
  skus: { stocked: string; pricey: string };
  orders: {
    /** Paid, shipment label bought (FULFILLING), 500 of its 2000 cents refunded. */
    paid: WorldOrder;
    /** AWAITING_PAYMENT_CONFIRMATION until a signed webhook arrives. */
    awaiting3ds: WorldOrder;
    /** FAILED (payment declined): terminal, never cancellable. */
    failed: WorldOrder;
    /** Paid 60000 cents, with a 55000-cent refund AWAITING_APPROVAL. */
    big: WorldOrder;
  };
  refunds: {
    succeeded: { id: string; orderId: string; idempotencyKey: string; amountCents: number };
    awaitingApproval: { id: string; orderId: string };
  };
  userIds(): string[];
  staffIds(): string[];
}

/**
 * Limits high enough that hostile requests reach the validators instead of the rate limiters
 * (429 stays an acceptable answer everywhere it can occur).
 */
export const HOSTILE_ENV = {
  CHECKOUT_RATE_LIMIT_PER_MINUTE: '1000000',
  LOGIN_FAILURES_PER_CLIENT: '1000000',
} as const;

export async function buildWorld(): Promise<World> {
  const api = await startApiHarness(HOSTILE_ENV);
  const [alice, bob, support, admin] = await Promise.all([
    api.userWithToken('customer'),
    api.userWithToken('customer'),
    api.userWithToken('support'),
    api.userWithToken('admin'),
  ]);
  const stocked = await createTestProduct(api.deps.db, { onHand: 50, priceCents: 1000 });
  const pricey = await createTestProduct(api.deps.db, { onHand: 5, priceCents: 60_000 });

  const place = async (
    sku: string,
    quantity: number,
    paymentToken: string,
    until: (o: OrderView) => boolean,
  ): Promise<WorldOrder> => {
    const idempotencyKey = randomUUID();
    const body = checkoutBody([{ sku, quantity }], paymentToken);
    const res = await api.request('POST', '/v1/checkouts', {
      token: alice.token,
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    if (res.status !== 202) throw new Error(`fixture checkout failed: ${res.status} ${JSON.stringify(res.body)}`);
    const order: OrderView = await api.waitForOrder(res.body.orderId, alice.token, until);
    return {
      id: order.id,
      idempotencyKey,
      body,
      totalCents: order.totalCents,
      providerPaymentId: order.payment?.providerPaymentId ?? null,
      trackingNumber: order.shipment?.trackingNumber ?? null,
    };
  };
  const labelled = (o: OrderView) => o.status === 'FULFILLING' && o.shipment?.status === 'LABEL_CREATED';
  const [paid, awaiting3ds, failed, big] = await Promise.all([
    place(stocked, 2, 'tok_visa', labelled),
    place(stocked, 1, 'tok_3ds', (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION'),
    place(stocked, 1, 'tok_declined', (o) => o.status === 'FAILED'),
    place(pricey, 1, 'tok_visa', labelled),
  ]);

  const refundKey = randomUUID();
  const small = await api.request('POST', `/v1/orders/${paid.id}/refunds`, {
    token: support.token,
    body: { amountCents: 500, reason: 'fixture: scratched' },
    headers: { 'Idempotency-Key': refundKey },
  });
  const large = await api.request('POST', `/v1/orders/${big.id}/refunds`, {
    token: support.token,
    body: { amountCents: 55_000, reason: 'fixture: bulk return' },
    headers: { 'Idempotency-Key': randomUUID() },
  });
  if (small.status !== 202 || large.status !== 202 || large.body.status !== 'AWAITING_APPROVAL') {
    throw new Error(`fixture refunds failed: ${JSON.stringify([small.body, large.body])}`);
  }
  await api.waitForOrder(
    paid.id,
    alice.token,
    (o: OrderView) => o.refundedCents === 500 && o.payment?.status === 'PARTIALLY_REFUNDED',
  );
  await waitUntil(
    async () =>
      (await api.request('GET', `/v1/orders/${paid.id}/refunds/${small.body.refundId}`, { token: support.token })).body
        .status === 'SUCCEEDED'
        ? true
        : undefined,
    'the fixture refund to succeed',
    { timeoutMs: 20_000 },
  );

  // The fixtures' emails (two order_confirmed, payment_action_required, order_failed and the
  // small refund's refund_succeeded) go out in workflows of their own, after the orders reach the
  // states waited for above: the world is still until all five are delivered.
  await waitUntil(
    () => (api.mail.messages().filter((m) => m.to.includes(alice.email)).length >= 5 ? true : undefined),
    "the fixtures' five emails",
    { timeoutMs: 30_000 },
  );

  const users = [alice, bob, support, admin];
  return {
    api,
    alice,
    bob,
    support,
    admin,
    phantomIds: Array.from({ length: 4 }, () => randomUUID()),
    skus: { stocked, pricey },
    orders: { paid, awaiting3ds, failed, big },
    refunds: {
      succeeded: { id: small.body.refundId, orderId: paid.id, idempotencyKey: refundKey, amountCents: 500 },
      awaitingApproval: { id: large.body.refundId, orderId: big.id },
    },
    userIds: () => users.map((u) => u.id),
    staffIds: () => [support.id, admin.id],
  };
}
