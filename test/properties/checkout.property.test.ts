/**
 * Property: POST /v1/checkouts refuses every malformed, hostile or unauthorised request with the
 * problem docs/api.md#problem-codes names, never a 5xx, and no refused checkout leaves an order, a reservation, a
 * payment or a workflow behind.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { checkoutBody } from '../support/api-harness';
import { forgedAuthorization, tokenContextOf } from '../support/properties/forged-tokens';
import { jsonText, type HostileRequest, type Outcome } from '../support/properties/hostile-client';
import {
  badPositiveInt,
  badText,
  DELETE,
  extraFields,
  hasUnstorableText,
  mostlyStorableText,
  nonObject,
  nonObjectJsonText,
  nonString,
  notJsonBody,
  oversizedBody,
  withValueAt,
} from '../support/properties/hostile-values';
import { useHostileWorld } from '../support/properties/hostile-world';
import type { World } from '../support/properties/world';

const { world, clients, newClient, expectNothingChanged } = useHostileWorld();

const ADDRESS_LIMITS = { name: 200, line1: 200, city: 100, postalCode: 32, country: 64 } as const;
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=b',
  'application/xml',
];

type Path = readonly (string | number)[];

/** One change that makes a valid checkout body invalid, wherever else it is applied. */
const invalidMutation: fc.Arbitrary<{ path: Path; value: unknown }> = fc.oneof(
  fc
    .oneof(
      nonObject.filter((v) => !Array.isArray(v)),
      fc.constant([]),
      fc.constant(DELETE),
    )
    .map((value) => ({ path: ['items'], value })),
  fc.constantFrom(null, 'sku', 7, [], [{ sku: 'x', quantity: 1 }]).map((value) => ({ path: ['items', 0], value })),
  fc
    .oneof(nonString, fc.constant(''), fc.string({ minLength: 65, maxLength: 200 }), fc.constant(DELETE))
    .map((value) => ({ path: ['items', 0, 'sku'], value })),
  fc.oneof(badPositiveInt(10_000), fc.constant(DELETE)).map((value) => ({ path: ['items', 0, 'quantity'], value })),
  fc.oneof(nonObject, fc.constant(DELETE)).map((value) => ({ path: ['shippingAddress'], value })),
  fc
    .constantFrom(...(Object.keys(ADDRESS_LIMITS) as (keyof typeof ADDRESS_LIMITS)[]))
    .chain((field) =>
      fc
        .oneof(badText(ADDRESS_LIMITS[field]), fc.constant(DELETE))
        .map((value) => ({ path: ['shippingAddress', field], value })),
    ),
  fc
    .oneof(
      nonString,
      fc.string({ unit: 'grapheme-ascii', minLength: 201, maxLength: 260 }).map((s) => `x${s}`),
    )
    .map((value) => ({ path: ['shippingAddress', 'line2'], value })),
  fc.oneof(nonObject, fc.constant(DELETE)).map((value) => ({ path: ['paymentMethod'], value })),
  fc
    .oneof(nonString, fc.constant(''), fc.string({ minLength: 256, maxLength: 300 }), fc.constant(DELETE))
    .map((value) => ({ path: ['paymentMethod', 'token'], value })),
);

/** True when `path` minus its last key leads to an object or array in `body`. */
function reachable(body: unknown, path: Path): boolean {
  let node = body;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node !== null && typeof node === 'object';
}

function validBody(w: World) {
  return checkoutBody([{ sku: w.skus.stocked, quantity: 1 }]);
}

/** Bodies that are invalid for sure: not JSON, not an object, or a valid body with at least one invalid field. */
const malformedBody = (w: World): fc.Arbitrary<string | Uint8Array> =>
  fc.oneof(
    { weight: 1, arbitrary: notJsonBody },
    { weight: 1, arbitrary: nonObjectJsonText },
    { weight: 1, arbitrary: fc.constant(jsonText([validBody(w)])) },
    {
      weight: 1,
      arbitrary: fc.constant(
        jsonText({
          ...validBody(w),
          items: Array.from({ length: 101 }, (_, i) => ({ sku: `${w.skus.stocked}-${i}`, quantity: 1 })),
        }),
      ),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.array(invalidMutation, { minLength: 1, maxLength: 3 }), extraFields)
        .map(([mutations, extra]) => {
          let body: unknown = { ...validBody(w), ...extra };
          for (const { path, value } of mutations) if (reachable(body, path)) body = withValueAt(body, path, value);
          return jsonText(body);
        }),
    },
  );

const checkout = (
  token: string,
  body: string | Uint8Array,
  key: string = randomUUID(),
  contentType = 'application/json',
): HostileRequest => ({
  method: 'POST',
  path: '/v1/checkouts',
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType, 'Idempotency-Key': key },
  body,
});

test('malformed bodies are 400 validation_failed', async () => {
  const client = newClient();
  await fc.assert(
    fc.asyncProperty(malformedBody(world), fc.constantFrom(...CONTENT_TYPES), async (body, type) => {
      await client.expect(checkout(world.alice.token, body, randomUUID(), type), [[400, 'validation_failed']]);
    }),
    { numRuns: 350 },
  );
}, 120_000);

test('well-formed carts of unknown skus in any script are 422 unknown_sku (409 on a used key; 400 for unstorable text)', async () => {
  const client = newClient();
  const text = (max: number) => mostlyStorableText(max).filter((s) => s.trim().length >= 1 && s.trim().length <= max);
  // Real skus are upper-case ASCII, digits and dashes: anything else is unknown.
  const unknownSku = mostlyStorableText(64).filter((s) => !/^[A-Z0-9-]+$/.test(s));
  const cart = fc.record({
    items: fc.array(fc.record({ sku: unknownSku, quantity: fc.integer({ min: 1, max: 10_000 }) }), {
      minLength: 1,
      maxLength: 5,
    }),
    shippingAddress: fc.record(
      {
        name: text(200),
        line1: text(200),
        line2: mostlyStorableText(200).filter((s) => s.trim().length <= 200),
        city: text(100),
        postalCode: text(32),
        country: text(64),
      },
      { requiredKeys: ['name', 'line1', 'city', 'postalCode', 'country'] },
    ),
    paymentMethod: fc.record({ token: mostlyStorableText(255) }),
  });
  await fc.assert(
    fc.asyncProperty(cart, fc.constantFrom('alice', 'bob'), fc.boolean(), async (body, who, reuseKey) => {
      const user = world[who as 'alice' | 'bob'];
      const key = reuseKey ? world.orders.paid.idempotencyKey : randomUUID();
      const expected: Outcome[] = hasUnstorableText(body)
        ? [[400, 'validation_failed']]
        : reuseKey && who === 'alice'
          ? [[409, 'idempotency_key_reuse']]
          : [[422, 'unknown_sku']];
      await client.expect(checkout(user.token, jsonText(body), key), expected);
    }),
    { numRuns: 250 },
  );
  client.expectSeen('422 unknown_sku', '409 idempotency_key_reuse', '400 validation_failed');
}, 120_000);

test('missing or bad Authorization and Idempotency-Key headers are refused with the code of a defect present', async () => {
  const client = newClient();
  const forged = forgedAuthorization(tokenContextOf(world));
  const auth = fc.oneof(
    fc.constant({ header: `Bearer ${world.alice.token}` as string | undefined, refusal: null as Outcome | null }),
    forged.map((f) => ({ header: f.header, refusal: [401, 'unauthorized'] as Outcome })),
    fc
      .constantFrom(world.support, world.admin)
      .map((u) => ({ header: `Bearer ${u.token}` as string | undefined, refusal: [403, 'forbidden'] as Outcome })),
  );
  const key = fc.oneof(
    fc.constant({ value: randomUUID() as string | undefined, refusal: null as Outcome | null }),
    fc
      .oneof(
        fc.constant(undefined),
        fc.constant(''),
        fc
          .string({ minLength: 256, maxLength: 400 })
          .map((s) => s.replace(/[^\x21-\x7e]/g, 'k')) /* no spaces: HTTP trims a header's surrounding whitespace */,
      )
      .map((value) => ({ value, refusal: [400, 'idempotency_key_required'] as Outcome })),
  );
  const body = fc.oneof(
    fc.constant({ text: jsonText(validBody(world)) as string | Uint8Array, refusal: null as Outcome | null }),
    malformedBody(world).map((text) => ({ text, refusal: [400, 'validation_failed'] as Outcome })),
  );
  const defective = fc
    .tuple(auth, key, body, fc.constantFrom(...CONTENT_TYPES))
    .filter(([a, k, b]) => a.refusal !== null || k.refusal !== null || b.refusal !== null);
  await fc.assert(
    fc.asyncProperty(defective, async ([a, k, b, type]) => {
      const headers: Record<string, string> = { 'Content-Type': type };
      if (a.header !== undefined) headers.Authorization = a.header;
      if (k.value !== undefined) headers['Idempotency-Key'] = k.value;
      const allowed = [a.refusal, k.refusal, b.refusal].filter((r): r is Outcome => r !== null);
      await client.expect({ method: 'POST', path: '/v1/checkouts', headers, body: b.text }, allowed);
    }),
    { numRuns: 250 },
  );
  client.expectSeen('401 unauthorized', '403 forbidden', '400 idempotency_key_required', '400 validation_failed');
}, 120_000);

test('bodies over 64 KiB are 413 payload_too_large', async () => {
  const client = newClient();
  await fc.assert(
    fc.asyncProperty(oversizedBody, async (body) => {
      await client.expect(checkout(world.alice.token, body), [[413, 'payload_too_large']]);
    }),
    { numRuns: 10 },
  );
});

test('no refused checkout changed anything', async () => {
  await expectNothingChanged();
}, 60_000);

test('the properties above fired at least 800 requests', () => {
  expect(clients.reduce((n, c) => n + c.sent, 0)).toBeGreaterThanOrEqual(800);
});
