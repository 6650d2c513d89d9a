/**
 * Property: against real paid orders, the carrier's events arrive duplicated and in any order, with
 * hostile ones mixed in (wild `occurredAt` values and malformed types, refused with 400; events for
 * parcels not ours, answered `unmatched`). Whatever the mix, each order ends in a state its money
 * and stock agree with: DELIVERED, SHIPPED or FULFILLING with no refund and no restock; RETURNED
 * refunded in full and restocked exactly once (issue 29, item 4).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { checkoutBody, startApiHarness, type ApiHarness, type OrderView } from '../support/api-harness';
import { sendCarrierEvent } from '../support/carrier-webhook';
import { createTestProduct, type TestUser } from '../support/fixtures';
import { HOSTILE_ENV } from '../support/properties/world';
import { waitUntil } from '../support/wait';

type Terminal = 'DELIVERED' | 'RETURNED';

/** Out of docs/api.md's bounds (from 2000 on, at most a day ahead). */
const BAD_TIMES = ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '9999-12-31T23:59:59Z'];

interface Delivery {
  id: string;
  type: string;
  trackingNumber: string;
  occurredAt: string;
  expected: { status: number; outcome?: string };
}

let api: ApiHarness;
let customer: TestUser & { token: string };
beforeAll(async () => {
  api = await startApiHarness(HOSTILE_ENV);
  customer = await api.userWithToken('customer');
}, 120_000);
afterAll(async () => {
  await api?.close();
});

async function paidOrder(sku: string, quantity: number): Promise<OrderView> {
  const res = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity }], 'tok_visa'),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(res.status).toBe(202);
  return api.waitForOrder(
    res.body.orderId,
    customer.token,
    (o) => o.status === 'FULFILLING' && o.shipment?.status === 'LABEL_CREATED',
  );
}

const onHand = async (sku: string): Promise<number> =>
  (await api.deps.db.inventory.findUniqueOrThrow({ where: { sku } })).onHand;

const expectedStatus = (types: ReadonlySet<string>): string =>
  types.has('RETURNED') ? 'RETURNED' : types.has('DELIVERED') ? 'DELIVERED' : types.size > 0 ? 'SHIPPED' : 'FULFILLING';

/** The shipment statuses an order status agrees with. */
const SHIPMENT_FOR: Record<string, readonly string[]> = {
  FULFILLING: ['LABEL_CREATED'],
  SHIPPED: ['PICKED_UP', 'IN_TRANSIT'],
  DELIVERED: ['DELIVERED'],
  RETURNED: ['RETURNED'],
};

test('duplicated, reordered and hostile carrier events leave every paid order with money and stock in agreement', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        quantity: fc.integer({ min: 1, max: 3 }),
        transit: fc.subarray(['PICKED_UP', 'IN_TRANSIT']),
        terminal: fc.constantFrom<Terminal | null>(null, 'DELIVERED', 'RETURNED'),
        copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
        badTimes: fc.subarray(BAD_TIMES, { minLength: 1 }),
        malformedType: fc.constantFrom('LOST', 'delivered', '', 'RETURNED '),
        strangers: fc.integer({ min: 1, max: 2 }),
        order: fc.array(fc.nat(), { minLength: 16, maxLength: 16 }),
      }),
      async ({ quantity, transit, terminal, copies, badTimes, malformedType, strangers, order: keys }) => {
        const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 1_000 });
        const order = await paidOrder(sku, quantity);
        const trackingNumber = order.shipment!.trackingNumber;
        const stockBefore = await onHand(sku);

        const genuine = [...transit, ...(terminal ? [terminal] : [])];
        const t0 = Date.now() - 60 * 60_000;
        const deliveries: Delivery[] = [];
        genuine.forEach((type, n) => {
          const event = {
            id: `evt_${randomUUID()}`,
            type,
            trackingNumber,
            occurredAt: new Date(t0 + n * 60_000).toISOString(),
          };
          // Redeliveries reuse the id: the first is `processed`, the rest may be `duplicate`.
          for (let i = 0; i < copies[n]!; i++) deliveries.push({ ...event, expected: { status: 200 } });
        });
        // The terminal this parcel must not end with: believed, it would show in the order.
        const wrong: Terminal = terminal === 'DELIVERED' ? 'RETURNED' : 'DELIVERED';
        for (const occurredAt of badTimes)
          deliveries.push({
            id: `evt_${randomUUID()}`,
            type: wrong,
            trackingNumber,
            occurredAt,
            expected: { status: 400 },
          });
        deliveries.push({
          id: `evt_${randomUUID()}`,
          type: malformedType,
          trackingNumber,
          occurredAt: new Date().toISOString(),
          expected: { status: 400 },
        });
        for (let i = 0; i < strangers; i++)
          deliveries.push({
            id: `evt_${randomUUID()}`,
            type: 'RETURNED',
            trackingNumber: `NOT-OURS-${randomUUID().slice(0, 8)}`,
            occurredAt: new Date().toISOString(),
            expected: { status: 200, outcome: 'unmatched' },
          });
        const shuffled = deliveries
          .map((d, i) => ({ d, key: keys[i % keys.length]! * 100 + i }))
          .sort((a, b) => a.key - b.key)
          .map(({ d }) => d);

        for (const d of shuffled) {
          const res = await sendCarrierEvent(api, d.trackingNumber, d.type, { id: d.id, occurredAt: d.occurredAt });
          expect({ event: d.type, at: d.occurredAt, status: res.status }).toEqual({
            event: d.type,
            at: d.occurredAt,
            status: d.expected.status,
          });
          if (d.expected.outcome) expect(res.body.outcome).toBe(d.expected.outcome);
        }

        const want = expectedStatus(new Set(genuine));
        const settled = await api.waitForOrder(
          order.id,
          customer.token,
          (o) =>
            o.status === want &&
            SHIPMENT_FOR[want]!.includes(o.shipment?.status ?? '') &&
            (want !== 'RETURNED' || o.refundedCents === o.totalCents),
          30_000,
        );
        if (want === 'RETURNED') {
          await waitUntil(
            async () => ((await onHand(sku)) === stockBefore + quantity ? true : undefined),
            'the returned units to be back on hand',
            { timeoutMs: 20_000 },
          );
        }
        // Settled: nothing more may move (a second restock or a refund of a delivered parcel would show).
        await new Promise((r) => setTimeout(r, 300));
        const [final, refunds, stock] = await Promise.all([
          api.waitForOrder(order.id, customer.token, () => true),
          api.deps.db.refund.findMany({ where: { orderId: order.id }, select: { amountCents: true, status: true } }),
          onHand(sku),
        ]);
        expect(final.status).toBe(settled.status);
        const refunded = refunds.filter((r) => r.status === 'SUCCEEDED').reduce((s, r) => s + r.amountCents, 0);
        if (want === 'RETURNED') {
          expect({ refunded, refundedCents: final.refundedCents, stock }).toEqual({
            refunded: order.totalCents,
            refundedCents: order.totalCents,
            stock: stockBefore + quantity,
          });
        } else {
          expect({ refunds: refunds.length, refundedCents: final.refundedCents, stock }).toEqual({
            refunds: 0,
            refundedCents: 0,
            stock: stockBefore,
          });
        }
        const inbox = await api.deps.db.webhookEvent.count({
          where: { id: { in: shuffled.filter((d) => d.expected.status === 400).map((d) => d.id) } },
        });
        expect(inbox).toBe(0);
      },
    ),
    // Each run is a real checkout and a shipment workflow on a 2-core machine: a handful of runs.
    { numRuns: 8 },
  );
}, 300_000);
