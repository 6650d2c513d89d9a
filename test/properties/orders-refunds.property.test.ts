/**
 * Property: orders, cancellations and refunds refuse other customers' ids, ids of nothing, ids that
 * are not ids, malformed bodies and hostile query strings with 4xx problems, never a 5xx; customers
 * only ever see their own orders; and no refused request changes an order, payment, refund,
 * reservation, stock level or workflow.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  jsonText,
  pathSegment,
  queryString,
  type HostileRequest,
  type Outcome,
} from '../support/properties/hostile-client';
import {
  badPositiveInt,
  badText,
  DELETE,
  extraFields,
  hasUnstorableText,
  hostileString,
  mostlyStorableText,
  nonObjectJsonText,
  nonString,
  notJsonBody,
  withValueAt,
} from '../support/properties/hostile-values';
import { useHostileWorld } from '../support/properties/hostile-world';
import type { UserWithToken } from '../support/properties/world';

const { world, clients, newClient, expectNothingChanged } = useHostileWorld();

const json = { 'Content-Type': 'application/json' };
const as = (user: UserWithToken, req: HostileRequest): HostileRequest => ({
  ...req,
  headers: { ...req.headers, Authorization: `Bearer ${user.token}` },
  ...(user.role === 'customer' ? {} : { actorId: user.id }),
});
const staff = () => fc.constantFrom(world.support, world.admin);
const anyone = () => fc.constantFrom(world.alice, world.bob, world.support, world.admin);

/** Cancel bodies of every kind: absent, empty, valid, and malformed. */
const anyCancelBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom('', '{}', '{"reason":"hostile"}'),
  mostlyStorableText(500).map((reason) => jsonText({ reason })),
  notJsonBody,
  nonObjectJsonText,
  nonString.map((reason) => jsonText({ reason })),
);

/** Cancel bodies that are malformed for sure. */
const badCancelBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  notJsonBody.filter((b) => typeof b !== 'string' || b.trim() !== ''),
  nonObjectJsonText,
  fc
    .oneof(
      nonString,
      fc.string({ unit: 'grapheme-ascii', minLength: 501, maxLength: 600 }).map((s) => `x${s}`),
    )
    .map((reason) => jsonText({ reason })),
  fc.constantFrom('a\u0000b', '\ud800', 'x\udfffy').map((reason) => jsonText({ reason })),
);

test("a customer gets 404 for another customer's orders and refunds, and never sees them in a list", async () => {
  const client = newClient();
  const { paid, awaiting3ds, failed, big } = world.orders;
  const alices = [paid, awaiting3ds, failed, big];
  const refundPairs = [
    [paid.id, world.refunds.succeeded.id],
    [big.id, world.refunds.awaitingApproval.id],
  ] as const;
  const action = fc.oneof(
    fc
      .constantFrom(...alices)
      .map((o) => ({ req: { method: 'GET', path: `/v1/orders/${o.id}` }, allowed: [[404, 'not_found']] as Outcome[] })),
    fc.tuple(fc.constantFrom(...alices), anyCancelBody).map(([o, body]) => ({
      req: { method: 'POST', path: `/v1/orders/${o.id}/cancel`, headers: json, body },
      allowed: [
        [400, 'validation_failed'],
        [404, 'not_found'],
      ] as Outcome[],
    })),
    fc.constantFrom(...refundPairs).map(([o, r]) => ({
      req: { method: 'GET', path: `/v1/orders/${o}/refunds/${r}` },
      allowed: [[404, 'not_found']] as Outcome[],
    })),
  );
  await fc.assert(
    fc.asyncProperty(action, async ({ req, allowed }) => {
      await client.expect(as(world.bob, req), allowed);
    }),
    { numRuns: 150 },
  );
  const list = await client.expect(as(world.bob, { method: 'GET', path: '/v1/orders?limit=100' }), [[200]]);
  expect(list.json).toEqual({ items: [], nextCursor: null });
  client.expectSeen('404 not_found');
}, 120_000);

test('ids that are not ids, ids of nothing and ids of the wrong kind are 404 (or the refusal of a real but closed target)', async () => {
  const client = newClient();
  const { paid, failed, big } = world.orders;
  const { succeeded, awaitingApproval } = world.refunds;
  const id = fc.oneof(
    fc.uuid(),
    fc.constantFrom(
      ...world.phantomIds,
      '00000000-0000-0000-0000-000000000000',
      succeeded.id,
      awaitingApproval.id,
      `${paid.id} `,
      `${paid.id}x`,
      paid.id.slice(0, 35),
    ),
    // "." and ".." are dot segments: the client resolves them away before the server sees them.
    hostileString.filter((s) => s.length > 0 && s !== '.' && s !== '..'),
  );
  type Case = { who: UserWithToken; req: HostileRequest; allowed: Outcome[] };
  const cases: fc.Arbitrary<Case> = fc.oneof(
    fc.tuple(anyone(), id).map(([who, o]): Case => ({
      who,
      req: { method: 'GET', path: `/v1/orders/${pathSegment(o)}` },
      allowed: [[404, 'not_found']],
    })),
    // The failed order exists, but is terminal: its owner and staff get 409, everybody else 404.
    fc.tuple(anyone(), fc.oneof(id, fc.constant(failed.id)), fc.constantFrom('', '{}')).map(([who, o, body]): Case => ({
      who,
      req: { method: 'POST', path: `/v1/orders/${pathSegment(o)}/cancel`, headers: json, body },
      allowed: [
        [404, 'not_found'],
        [409, 'order_not_cancellable'],
      ],
    })),
    fc.tuple(anyone(), id, fc.oneof(id, fc.constant(succeeded.id))).map(([who, o, r]): Case => ({
      who,
      req: { method: 'GET', path: `/v1/orders/${pathSegment(o)}/refunds/${pathSegment(r)}` },
      allowed: [[404, 'not_found']],
    })),
    // Refunding the failed order: it captured nothing, so any amount exceeds it.
    fc.tuple(anyone(), fc.oneof(id, fc.constant(failed.id))).map(([who, o]): Case => ({
      who,
      req: {
        method: 'POST',
        path: `/v1/orders/${pathSegment(o)}/refunds`,
        headers: { ...json, 'Idempotency-Key': randomUUID() },
        body: jsonText({ amountCents: 100, reason: 'hostile' }),
      },
      allowed:
        who.role === 'customer'
          ? [[403, 'forbidden']]
          : [
              [404, 'not_found'],
              [422, 'refund_exceeds_captured'],
            ],
    })),
    // Decisions: on ids of nothing, on a refund under another order, or on a refund already decided.
    fc
      .tuple(
        anyone(),
        fc.constantFrom('approve', 'reject'),
        fc.oneof(
          fc.tuple(id, id),
          fc.constant([big.id, succeeded.id] as const),
          fc.constant([paid.id, awaitingApproval.id] as const),
          fc.constant([paid.id, succeeded.id] as const),
        ),
      )
      .map(([who, decision, [o, r]]): Case => ({
        who,
        req: { method: 'POST', path: `/v1/orders/${pathSegment(o)}/refunds/${pathSegment(r)}/${decision}` },
        allowed:
          who.role !== 'admin'
            ? [[403, 'forbidden']]
            : [
                [404, 'not_found'],
                [409, 'refund_not_awaiting_approval'],
              ],
      })),
  );
  // The closed targets are a narrow corner of the space (a 409 came up about twice in 200 random
  // runs): these examples run every time, so the expectSeen below does not depend on the seed.
  const closedTargets: [Case][] = [
    [
      {
        who: world.alice,
        req: { method: 'POST', path: `/v1/orders/${failed.id}/cancel`, headers: json, body: '{}' },
        allowed: [[409, 'order_not_cancellable']],
      },
    ],
    [
      {
        who: world.admin,
        req: { method: 'POST', path: `/v1/orders/${paid.id}/refunds/${succeeded.id}/approve` },
        allowed: [[409, 'refund_not_awaiting_approval']],
      },
    ],
  ];
  await fc.assert(
    fc.asyncProperty(cases, async ({ who, req, allowed }) => {
      await client.expect(as(who, req), allowed);
    }),
    { numRuns: 200, examples: closedTargets },
  );
  client.expectSeen('404 not_found', '403 forbidden', '409 order_not_cancellable', '409 refund_not_awaiting_approval');
}, 120_000);

describe('POST /v1/orders/:orderId/refunds', () => {
  const refundable = () => world.orders.paid.totalCents - world.refunds.succeeded.amountCents;
  /** `key: undefined` sends no Idempotency-Key at all. */
  const refund = (who: UserWithToken, body: string | Uint8Array, key: string | undefined): HostileRequest =>
    as(who, {
      method: 'POST',
      path: `/v1/orders/${world.orders.paid.id}/refunds`,
      headers: { ...json, ...(key === undefined ? {} : { 'Idempotency-Key': key }) },
      body,
    });
  const reason = mostlyStorableText(500).filter((s) => s.trim().length >= 1 && s.trim().length <= 500);

  test('malformed refund requests are 400; customers are 403 whatever they send', async () => {
    const client = newClient();
    const valid = { amountCents: 100, reason: 'hostile', restock: false };
    const mutation = fc.oneof(
      fc.oneof(badPositiveInt(100_000_000), fc.constant(DELETE)).map((value) => ({ path: ['amountCents'], value })),
      fc.oneof(badText(500), fc.constant(DELETE)).map((value) => ({ path: ['reason'], value })),
      fc.constantFrom(null, 'true', 1, 0, [], {}, 'yes').map((value) => ({ path: ['restock'], value })),
    );
    const malformed = fc.oneof(
      notJsonBody,
      nonObjectJsonText,
      fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), extraFields).map(([ms, extra]) => {
        let body: unknown = { ...valid, ...extra };
        for (const { path, value } of ms) body = withValueAt(body, path, value);
        return jsonText(body);
      }),
    );
    await fc.assert(
      fc.asyncProperty(malformed, staff(), async (body, who) => {
        await client.expect(refund(who, body, randomUUID()), [[400, 'validation_failed']]);
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(malformed, fc.constant(jsonText(valid))),
        fc.constantFrom(world.alice, world.bob),
        async (body, who) => {
          await client.expect(refund(who, body, randomUUID()), [[403, 'forbidden']]);
        },
      ),
      { numRuns: 50 },
    );
  }, 120_000);

  test('well-formed refunds beyond what is refundable are 422, a used key with another body 409, no key 400', async () => {
    const client = newClient();
    const beyond = fc.record(
      { amountCents: fc.integer({ min: refundable() + 1, max: 100_000_000 }), reason, restock: fc.boolean() },
      { requiredKeys: ['amountCents', 'reason'] },
    );
    const otherBody = fc.record(
      {
        amountCents: fc.integer({ min: 1, max: 100_000_000 }),
        reason: reason.map((r) => `other: ${r}`),
        restock: fc.boolean(),
      },
      { requiredKeys: ['amountCents', 'reason'] },
    );
    const badKey = fc.oneof(
      fc.constant(undefined),
      fc.constant(''),
      fc
        .string({ minLength: 256, maxLength: 400 })
        .map((s) => s.replace(/[^\x21-\x7e]/g, 'k')) /* no spaces: HTTP trims a header's surrounding whitespace */,
    );
    const cases = fc.oneof(
      fc.tuple(beyond, staff()).map(([body, who]) => ({
        req: refund(who, jsonText(body), randomUUID()),
        allowed: (hasUnstorableText(body)
          ? [[400, 'validation_failed']]
          : [[422, 'refund_exceeds_captured']]) as Outcome[],
      })),
      fc.tuple(otherBody, staff()).map(([body, who]) => ({
        req: refund(who, jsonText(body), world.refunds.succeeded.idempotencyKey),
        allowed: (hasUnstorableText(body)
          ? [[400, 'validation_failed']]
          : [[409, 'idempotency_key_reuse']]) as Outcome[],
      })),
      fc.tuple(badKey, staff()).map(([key, who]) => ({
        req: refund(who, jsonText({ amountCents: 100, reason: 'hostile' }), key),
        allowed: [[400, 'idempotency_key_required']] as Outcome[],
      })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ req, allowed }) => {
        await client.expect(req, allowed);
      }),
      { numRuns: 200 },
    );
    client.expectSeen('422 refund_exceeds_captured', '409 idempotency_key_reuse', '400 idempotency_key_required');
  }, 120_000);
});

test('cancelling: malformed bodies are 400, a terminal order is 409 whatever the body', async () => {
  const client = newClient();
  const { paid, awaiting3ds, failed } = world.orders;
  const cases = fc.oneof(
    fc.tuple(fc.constantFrom(paid, awaiting3ds), badCancelBody).map(([o, body]) => ({
      who: world.alice,
      req: { method: 'POST', path: `/v1/orders/${o.id}/cancel`, headers: json, body },
      allowed: [[400, 'validation_failed']] as Outcome[],
    })),
    fc.tuple(fc.constantFrom(world.alice, world.support, world.admin), anyCancelBody).map(([who, body]) => ({
      who,
      req: { method: 'POST', path: `/v1/orders/${failed.id}/cancel`, headers: json, body },
      allowed: [
        [400, 'validation_failed'],
        [409, 'order_not_cancellable'],
      ] as Outcome[],
    })),
  );
  await fc.assert(
    fc.asyncProperty(cases, async ({ who, req, allowed }) => {
      await client.expect(as(who, req), allowed);
    }),
    { numRuns: 200 },
  );
  client.expectSeen('409 order_not_cancellable', '400 validation_failed');
}, 120_000);

test('hostile list queries are 200 or 400, and a customer only ever lists their own orders', async () => {
  const client = newClient();
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8').toString('base64url');
  const limit = fc.oneof(
    fc.constantFrom(
      '0',
      '-1',
      '101',
      '1e308',
      'NaN',
      'abc',
      '',
      '1.5',
      '0x10',
      ' 5',
      '9223372036854775808',
      '1e2',
      '100',
      '1',
      '-0',
      'Infinity',
      '5\u0000',
    ),
    hostileString,
  );
  const createdAt = fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom(
      '0000-01-01T00:00:00Z',
      '0001-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '2021-02-29T00:00:00Z',
      '2024-02-29T24:00:00Z',
      '1970-01-01T00:00:00+14:00',
    ),
    hostileString,
  );
  const cursor = fc.oneof(
    hostileString,
    fc.tuple(createdAt, fc.oneof(fc.uuid(), hostileString)).map(([c, id]) => base64url({ createdAt: c, id })),
    fc.jsonValue({ maxDepth: 3 }).map(base64url),
    fc.string({ unit: 'grapheme-ascii', minLength: 513, maxLength: 700 }),
  );
  const status = fc.oneof(fc.constantFrom('PAID', 'FAILED', 'paid', 'PAID ', '', 'REFUNDED,PAID'), hostileString);
  const param = fc.oneof(
    limit.map((v) => ['limit', v] as const),
    cursor.map((v) => ['cursor', v] as const),
    status.map((v) => ['status', v] as const),
    fc.tuple(hostileString, hostileString).map(([k, v]) => [k, v] as const),
  );
  const targetId = fc.oneof(fc.uuid(), hostileString).map((v) => ['targetId', v] as const);
  // Otherwise valid queries whose cursor is forged from well-shaped parts, so that it reaches the database.
  const forgedCursorOnly = fc
    .tuple(
      fc.integer({ min: 1, max: 100 }),
      createdAt,
      fc.uuid(),
      fc.option(fc.constantFrom('PAID', 'FULFILLING', 'FAILED')),
    )
    .map(
      ([n, c, id, st]) =>
        [
          ['limit', String(n)],
          ['cursor', base64url({ createdAt: c, id })],
          ...(st === null ? [] : [['status', st]]),
        ] as [string, string][],
    );
  const request = fc.oneof(
    fc
      .tuple(anyone(), fc.oneof(fc.array(param, { maxLength: 4 }), forgedCursorOnly))
      .map(([who, pairs]) => ({ who, path: `/v1/orders${queryString(pairs)}` })),
    fc
      .oneof(
        fc.array(fc.oneof(param, targetId), { maxLength: 4 }),
        forgedCursorOnly.map((pairs) => pairs.filter(([k]) => k !== 'status')),
      )
      .map((pairs) => ({ who: world.admin, path: `/v1/admin/audit${queryString(pairs)}` })),
  );
  await fc.assert(
    fc.asyncProperty(request, async ({ who, path }) => {
      const res = await client.expect(as(who, { method: 'GET', path }), [[200], [400, 'validation_failed']]);
      if (res.status !== 200) return;
      const page = res.json as { items: { customerId?: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(100);
      if (who.role === 'customer') expect(page.items.filter((o) => o.customerId !== who.id)).toEqual([]);
    }),
    { numRuns: 200 },
  );
  client.expectSeen('200', '400 validation_failed');
}, 120_000);

test('no refused request changed anything', async () => {
  await expectNothingChanged();
}, 60_000);

test('the properties above fired at least 1000 requests', () => {
  expect(clients.reduce((n, c) => n + c.sent, 0)).toBeGreaterThanOrEqual(1000);
});
