/**
 * Property: signed webhooks refuse every forged signature (401) and every malformed event (400, an
 * occurredAt out of bounds included) before anything is recorded or signalled; the catalog and the admin stock endpoint refuse hostile
 * skus, bodies and query strings; unknown routes are 404. Never a 5xx, and nothing changes: the
 * 3-D Secure order keeps waiting, the labelled shipment stays unpicked, stock stays where it was.
 */
import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { signatureFor } from '../../api/http/signature';
import {
  jsonText,
  pathSegment,
  queryString,
  type HostileRequest,
  type Outcome,
} from '../support/properties/hostile-client';
import {
  badPositiveInt,
  DELETE,
  extraFields,
  hasUnstorableText,
  hostileString,
  mostlyStorableText,
  nonNumber,
  nonObjectJsonText,
  nonString,
  notJsonBody,
  oversizedBody,
  withValueAt,
} from '../support/properties/hostile-values';
import { expectNoWebhookRecorded } from '../support/properties/state-snapshot';
import { useHostileWorld } from '../support/properties/hostile-world';
import type { UserWithToken } from '../support/properties/world';

const { world, clients, newClient, expectNothingChanged } = useHostileWorld();
/** Every webhook event id sent: none of them may reach the inbox. */
const sentEventIds = new Set<string>();

type Source = 'payments' | 'carrier';
const secretOf = (source: Source) =>
  source === 'payments' ? world.api.deps.config.PAYMENT_WEBHOOK_SECRET : world.api.deps.config.CARRIER_WEBHOOK_SECRET;
const deliver = (source: Source, body: string | Uint8Array, signature: string | undefined): HostileRequest => ({
  method: 'POST',
  path: `/v1/webhooks/${source}`,
  headers: { 'Content-Type': 'application/json', ...(signature === undefined ? {} : { 'X-Signature': signature }) },
  body,
});

/** Events that would move the world's orders if they were believed. */
const genuineEvent = (source: Source) =>
  source === 'payments'
    ? fc.record({
        id: fc.uuid().map((u) => `evt_${u}`),
        type: fc.constantFrom('payment.succeeded', 'payment.failed'),
        providerPaymentId: fc.constant(world.orders.awaiting3ds.providerPaymentId!),
      })
    : fc.record({
        id: fc.uuid().map((u) => `evt_${u}`),
        type: fc.constantFrom('PICKED_UP', 'IN_TRANSIT', 'DELIVERED', 'RETURNED'),
        trackingNumber: fc.constantFrom(world.orders.paid.trackingNumber!, world.orders.big.trackingNumber!),
        occurredAt: fc.constant(new Date().toISOString()),
      });

test('forged, missing or misplaced signatures are 401 invalid_signature for events that would move real orders', async () => {
  const client = newClient();
  const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
  const hmacHex = (key: string, body: string) => createHmac('sha256', key).update(body, 'utf8').digest('hex');
  const source = fc.constantFrom<Source>('payments', 'carrier');
  const forgery = source.chain((src) =>
    genuineEvent(src).chain((event) => {
      const body = JSON.stringify(event);
      const secret = secretOf(src);
      const other = secretOf(src === 'payments' ? 'carrier' : 'payments');
      const good = hmacHex(secret, body);
      return fc
        .oneof(
          fc.constant({ body, signature: undefined as string | undefined }),
          fc
            .constantFrom(
              '',
              'sha256=',
              'sha256',
              `sha1=${good.slice(0, 40)}`,
              good,
              `SHA256:${good}`,
              `sha256=${good.slice(0, 63)}`,
              `sha256=${good}0`,
              `sha256=${good},sha256=${good}`,
              `sha256= ${good}`,
            )
            .map((signature) => ({ body, signature: signature as string | undefined })),
          hex.filter((h) => h !== good).map((h) => ({ body, signature: `sha256=${h}` as string | undefined })),
          fc
            .oneof(
              fc.constant(other),
              fc.string({ minLength: 1, maxLength: 40 }).filter((k) => k !== secret),
            )
            .map((key) => ({ body, signature: signatureFor(key, body) as string | undefined })),
          // A real signature over other bytes: a resent event with another id, or the same event re-serialised.
          fc
            .constantFrom(
              `${body} `,
              `${body}\n`,
              ` ${body}`,
              JSON.stringify(event, null, 2),
              body.replace('"id"', '"\\u0069d"'),
            )
            .map((altered) => ({ body: altered, signature: `sha256=${good}` as string | undefined })),
          fc.uuid().map((id) => ({
            body: JSON.stringify({ ...event, id: `evt_${id}` }),
            signature: `sha256=${good}` as string | undefined,
          })),
        )
        .map((f) => ({ source: src, eventId: event.id, ...f }));
    }),
  );
  await fc.assert(
    fc.asyncProperty(forgery, async ({ source: src, eventId, body, signature }) => {
      sentEventIds.add(eventId);
      await client.expect(deliver(src, body, signature), [[401, 'invalid_signature']]);
    }),
    { numRuns: 250 },
  );
}, 120_000);

test('correctly signed but malformed events are 400 validation_failed', async () => {
  const client = newClient();
  const source = fc.constantFrom<Source>('payments', 'carrier');
  const badString = (max: number) =>
    fc.oneof(
      nonString,
      fc.constant(''),
      fc.string({ unit: 'grapheme-ascii', minLength: max + 1, maxLength: max + 30 }),
      fc.constant(DELETE),
    );
  const mutation = (src: Source) =>
    src === 'payments'
      ? fc.oneof(
          badString(255).map((value) => ({ path: 'id', value })),
          fc
            .oneof(
              fc.constantFrom('PAYMENT.SUCCEEDED', 'payment.succeeded ', 'payment.refunded', 'succeeded', ''),
              nonString,
              fc.constant(DELETE),
            )
            .map((value) => ({ path: 'type', value })),
          badString(255).map((value) => ({ path: 'providerPaymentId', value })),
        )
      : fc.oneof(
          badString(255).map((value) => ({ path: 'id', value })),
          fc
            .oneof(
              fc.constantFrom('picked_up', 'LOST', 'DELIVERED ', 'payment.succeeded', ''),
              nonString,
              fc.constant(DELETE),
            )
            .map((value) => ({ path: 'type', value })),
          badString(64).map((value) => ({ path: 'trackingNumber', value })),
          fc
            .oneof(
              fc.constantFrom(
                '2024-13-01T00:00:00Z',
                '2024-01-01',
                '2024-01-01T00:00:00',
                '2024-02-30T00:00:00Z',
                'yesterday',
                '0',
                '1e308',
                '',
              ),
              hostileString.filter((s) => !/^\d{4}-/.test(s)),
              // Well-formed but out of bounds (docs/api.md: not before 2000, at most a day ahead).
              fc.constantFrom('0000-01-01T00:00:00Z', '0001-01-01T00:00:00+14:00', '1999-12-31T23:59:59Z'),
              fc
                .date({
                  min: new Date('0001-01-01T00:00:00Z'),
                  max: new Date('1999-12-31T23:59:59.999Z'),
                  noInvalidDate: true,
                })
                .map((d) => d.toISOString()),
              fc
                .integer({ min: 24 * 60 * 60 * 1000 + 60_000, max: 1_000 * 365 * 24 * 60 * 60 * 1000 })
                .map((ahead) => new Date(Date.now() + ahead).toISOString()),
              nonString,
              fc.constant(DELETE),
            )
            .map((value) => ({ path: 'occurredAt', value })),
        );
  const malformed = source.chain((src) =>
    fc
      .oneof(
        // Text only: signatureFor signs the text's UTF-8 bytes, which is what the client sends.
        {
          weight: 1,
          arbitrary: fc.oneof(notJsonBody, nonObjectJsonText).filter((b): b is string => typeof b === 'string'),
        },
        { weight: 1, arbitrary: fc.constantFrom('\ufeff{}', '\ufeff[]', '\ufeffnull', '\ufeff{"id":""}') },
        {
          weight: 4,
          arbitrary: fc
            .tuple(genuineEvent(src), fc.array(mutation(src), { minLength: 1, maxLength: 3 }), extraFields)
            .map(([event, ms, extra]) => {
              sentEventIds.add(event.id);
              let body: unknown = { ...extra, ...event };
              for (const { path, value } of ms) body = withValueAt(body, [path], value);
              return jsonText(body);
            }),
        },
      )
      .map((body) => ({ src, body })),
  );
  await fc.assert(
    fc.asyncProperty(malformed, async ({ src, body }) => {
      // The HMAC is over the bytes as sent, so a signed body with a leading byte-order mark passes the
      // signature and is then refused as JSON (RFC 8259: no BOM in JSON texts).
      const allowed: Outcome[] = [[400, 'validation_failed']];
      await client.expect(deliver(src, body, signatureFor(secretOf(src), body)), allowed);
    }),
    { numRuns: 200 },
  );
}, 120_000);

test('correctly signed events carrying NUL or lone surrogates are 400, not recorded', async () => {
  const client = newClient();
  // Filtered: a prefix ending in a high surrogate would pair with a trailing '\udfff' into valid text.
  const unstorable = fc
    .constantFrom('\u0000', '\ud800', '\udfff')
    .chain((bad) => mostlyStorableText(20).map((s) => `${s}${bad}`))
    .filter((text) => hasUnstorableText(text));
  const event = fc.oneof(
    fc
      .record({
        id: unstorable,
        type: fc.constant('payment.succeeded'),
        providerPaymentId: fc.constant(world.orders.awaiting3ds.providerPaymentId!),
      })
      .map((e) => ({ src: 'payments' as Source, e })),
    fc
      .record({ id: fc.uuid(), type: fc.constant('payment.failed'), providerPaymentId: unstorable })
      .map((e) => ({ src: 'payments' as Source, e })),
    fc
      .record({
        id: unstorable,
        type: fc.constant('PICKED_UP'),
        trackingNumber: fc.constant(world.orders.paid.trackingNumber!),
        occurredAt: fc.constant(new Date().toISOString()),
      })
      .map((e) => ({ src: 'carrier' as Source, e })),
    fc
      .record({
        id: fc.uuid(),
        type: fc.constant('DELIVERED'),
        trackingNumber: unstorable,
        occurredAt: fc.constant(new Date().toISOString()),
      })
      .map((e) => ({ src: 'carrier' as Source, e })),
  );
  await fc.assert(
    fc.asyncProperty(event, async ({ src, e }) => {
      sentEventIds.add(e.id);
      const body = JSON.stringify(e);
      await client.expect(deliver(src, body, signatureFor(secretOf(src), body)), [[400, 'validation_failed']]);
    }),
    { numRuns: 100 },
  );
}, 120_000);

test('bodies over 64 KiB are 413 on every route that takes one', async () => {
  const client = newClient();
  const route = fc.constantFrom<[string, string]>(
    ['POST', '/v1/webhooks/payments'],
    ['POST', '/v1/webhooks/carrier'],
    ['POST', '/v1/auth/token'],
    ['PUT', `/v1/admin/inventory/${world.skus.stocked}`],
    ['POST', `/v1/orders/${world.orders.paid.id}/cancel`],
    ['POST', `/v1/orders/${world.orders.paid.id}/refunds`],
  );
  await fc.assert(
    fc.asyncProperty(route, oversizedBody, async ([method, path], body) => {
      const signature = signatureFor(secretOf('payments'), body);
      await client.expect(
        {
          method,
          path,
          headers: {
            'Content-Type': 'application/json',
            'X-Signature': signature,
            Authorization: `Bearer ${world.admin.token}`,
            'Idempotency-Key': randomUUID(),
          },
          body,
        },
        [[413, 'payload_too_large']],
      );
    }),
    { numRuns: 24 },
  );
}, 120_000);

/** Real skus are upper-case ASCII, digits and dashes; dot segments never reach the server. */
const unknownSku = hostileString.filter((s) => s.length > 0 && !/^[A-Z0-9-]+$/.test(s) && s !== '.' && s !== '..');

test('catalog reads: hostile skus are 404, hostile list queries 200 or 400', async () => {
  const client = newClient();
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8').toString('base64url');
  const cursor = fc.oneof(
    hostileString,
    hostileString.map((sku) => base64url({ sku })),
    fc.jsonValue({ maxDepth: 3 }).map(base64url),
    fc.string({ unit: 'grapheme-ascii', minLength: 513, maxLength: 700 }),
  );
  const limit = fc.oneof(
    fc.constantFrom('0', '-1', '101', '1e308', 'NaN', '', '1.5', '0x10', '9223372036854775808', '100', '1'),
    hostileString,
  );
  const pairs = fc.array(
    fc.oneof(
      limit.map((v) => ['limit', v] as const),
      cursor.map((v) => ['cursor', v] as const),
      fc.tuple(hostileString, hostileString).map(([k, v]) => [k, v] as const),
    ),
    { maxLength: 4 },
  );
  const request = fc.oneof(
    unknownSku.map((sku) => ({ path: `/v1/products/${pathSegment(sku)}`, allowed: [[404, 'not_found']] as Outcome[] })),
    pairs.map((p) => ({
      path: `/v1/products${queryString(p)}`,
      allowed: [[200], [400, 'validation_failed']] as Outcome[],
    })),
    // Otherwise valid pages whose cursor is forged around a hostile sku, so that it reaches the database.
    fc
      .tuple(
        fc.integer({ min: 1, max: 100 }),
        hostileString.filter((s) => s.length >= 1 && s.length <= 64),
      )
      .map(([n, sku]) => ({
        path: `/v1/products${queryString([
          ['limit', String(n)],
          ['cursor', base64url({ sku })],
        ])}`,
        allowed: (hasUnstorableText(sku) ? [[400, 'validation_failed']] : [[200]]) as Outcome[],
      })),
  );
  await fc.assert(
    fc.asyncProperty(request, async ({ path, allowed }) => {
      await client.expect({ method: 'GET', path }, allowed);
    }),
    { numRuns: 200 },
  );
  client.expectSeen('200', '404 not_found', '400 validation_failed');
}, 120_000);

test('setting stock: malformed bodies 400, unknown skus 404, customers and support 403', async () => {
  const client = newClient();
  const put = (who: UserWithToken, sku: string, body: string | Uint8Array): HostileRequest => ({
    method: 'PUT',
    path: `/v1/admin/inventory/${pathSegment(sku)}`,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${who.token}` },
    body,
    ...(who.role === 'customer' ? {} : { actorId: who.id }),
  });
  const badOnHand = fc.oneof(
    fc.constantFrom(-1, 0.5, 1_000_000_001, 1e308, 2 ** 63, -(2 ** 63), Number.MIN_VALUE),
    fc.integer({ max: -1 }),
    fc.integer({ min: 1_000_000_001 }),
    nonNumber,
    badPositiveInt(10).filter((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0),
    fc.constant(DELETE),
  );
  const malformed = fc.oneof(
    notJsonBody,
    nonObjectJsonText,
    fc.constantFrom(
      '{"onHand":1e400}',
      '{"onHand":9223372036854775808}',
      '{"onHand":"5"}',
      '{"onHand":-1e-7}',
      '{"onHand":[5]}',
    ),
    fc
      .tuple(badOnHand, extraFields)
      .map(([value, extra]) => jsonText(withValueAt({ ...extra, onHand: 5 }, ['onHand'], value))),
  );
  const anyBody = fc.oneof(
    malformed,
    fc.integer({ min: 0, max: 1_000_000_000 }).map((onHand) => jsonText({ onHand })),
  );
  const cases = fc.oneof(
    fc
      .tuple(fc.constantFrom(world.skus.stocked, world.skus.pricey), malformed)
      .map(([sku, body]) => ({ req: put(world.admin, sku, body), allowed: [[400, 'validation_failed']] as Outcome[] })),
    fc.tuple(unknownSku, anyBody).map(([sku, body]) => ({
      req: put(world.admin, sku, body),
      allowed: [
        [400, 'validation_failed'],
        [404, 'not_found'],
      ] as Outcome[],
    })),
    fc
      .tuple(
        fc.constantFrom(world.alice, world.bob, world.support),
        fc.constantFrom(world.skus.stocked, world.skus.pricey),
        anyBody,
      )
      .map(([who, sku, body]) => ({
        req: put(who, sku, body),
        allowed: [[403, 'forbidden']] as Outcome[],
      })),
  );
  await fc.assert(
    fc.asyncProperty(cases, async ({ req, allowed }) => {
      await client.expect(req, allowed);
    }),
    { numRuns: 200 },
  );
  client.expectSeen('400 validation_failed', '404 not_found', '403 forbidden');
}, 120_000);

test('unknown routes and methods are 404 problems', async () => {
  const client = newClient();
  const known = [
    '/v1/checkouts',
    '/v1/orders',
    `/v1/orders/${world.orders.paid.id}`,
    '/v1/products',
    '/v1/webhooks/payments',
    '/v1/auth/token',
    '/v1/admin/audit',
  ];
  const admin = `Bearer ${world.admin.token}`;
  const request = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.array(
          hostileString.filter((s) => s !== '.' && s !== '..'),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom(undefined, admin),
      )
      .map(([method, segments, authorization]) => ({
        method,
        path: `/v1/zz-${segments.map(pathSegment).join('/')}`,
        authorization,
      })),
    // Known paths, unsupported methods (with a valid token: /v1/orders/* checks tokens before routing).
    fc
      .tuple(fc.constantFrom('DELETE', 'PATCH'), fc.constantFrom(...known))
      .map(([method, path]) => ({ method, path, authorization: admin as string | undefined })),
  );
  await fc.assert(
    fc.asyncProperty(request, async ({ method, path, authorization }) => {
      await client.expect({ method, path, ...(authorization ? { headers: { Authorization: authorization } } : {}) }, [
        [404, 'not_found'],
      ]);
    }),
    { numRuns: 150 },
  );
}, 120_000);

test('no refused request changed anything, and no webhook reached the inbox', async () => {
  await expectNothingChanged();
  await expectNoWebhookRecorded(world, sentEventIds);
  expect(sentEventIds.size).toBeGreaterThan(400);
}, 60_000);

test('the properties above fired at least 1000 requests', () => {
  expect(clients.reduce((n, c) => n + c.sent, 0)).toBeGreaterThanOrEqual(1000);
});
