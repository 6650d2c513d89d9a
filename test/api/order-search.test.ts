/** Support's order search: GET /v1/orders?customerEmail= (exact, case-insensitive), with status and paging. */
import { randomUUID } from 'node:crypto';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { useApiHarness, type ApiHarness } from '../support/api-harness';
import { TEST_ADDRESS } from '../support/fixtures';

const api = useApiHarness();
type User = Awaited<ReturnType<ApiHarness['userWithToken']>>;
let customer: User;
let other: User;
let support: User;
const mine: string[] = [];

/** An order of `customerId` as the API writes it, moved to `status`. */
async function orderOf(customerId: string, status: 'PENDING' | 'FAILED' = 'PENDING') {
  const id = randomUUID();
  const orders = createOrderRepository(api.deps.db);
  await orders.createPending({
    id,
    customerId,
    workflowId: `w-${id}`,
    idempotencyKey: id,
    requestHash: 'h',
    currency: 'USD',
    shippingAddress: TEST_ADDRESS,
    items: [{ sku: 'TEST-SEARCH', quantity: 1, unitPriceCents: 100 }],
  });
  if (status !== 'PENDING') await orders.transition(id, ['PENDING'], status, 'PAYMENT_DECLINED');
  return id;
}

beforeAll(async () => {
  [customer, other, support] = await Promise.all([
    api.userWithToken('customer'),
    api.userWithToken('customer'),
    api.userWithToken('support'),
  ]);
  for (const status of ['PENDING', 'FAILED', 'PENDING'] as const) mine.push(await orderOf(customer.id, status));
  await orderOf(other.id);
});

const search = (query: string, token = support.token) => api.request('GET', `/v1/orders?${query}`, { token });

test('finds exactly the customer’s orders, whatever the case of the email, newest first', async () => {
  const res = await search(`customerEmail=${encodeURIComponent(`  ${customer.email.toUpperCase()} `)}`);
  expect(res.status).toBe(200);
  expect(res.body.items.map((o: { id: string }) => o.id)).toEqual([...mine].reverse());
  expect(res.body.items.every((o: { customerId: string }) => o.customerId === customer.id)).toBe(true);
  expect(res.body.nextCursor).toBeNull();
});

test('combines with status and pages with the cursor', async () => {
  const email = encodeURIComponent(customer.email);
  const failed = await search(`customerEmail=${email}&status=FAILED`);
  expect(failed.body.items.map((o: { id: string }) => o.id)).toEqual([mine[1]]);

  const first = await search(`customerEmail=${email}&limit=2`);
  expect(first.body.items).toHaveLength(2);
  expect(first.body.nextCursor).toEqual(expect.any(String));
  const second = await search(`customerEmail=${email}&limit=2&cursor=${first.body.nextCursor}`);
  expect([...first.body.items, ...second.body.items].map((o: { id: string }) => o.id)).toEqual([...mine].reverse());
  expect(second.body.nextCursor).toBeNull();
});

test('an unknown email finds nothing; a prefix is no match', async () => {
  expect((await search(`customerEmail=nobody-${randomUUID()}@test.example`)).body).toEqual({
    items: [],
    nextCursor: null,
  });
  expect((await search(`customerEmail=${encodeURIComponent(customer.email.slice(0, 12))}`)).body.items).toEqual([]);
  expect((await search('customerEmail=')).status).toBe(400);
});

test('customers may not search by email: 403, even for their own', async () => {
  const res = await search(`customerEmail=${encodeURIComponent(customer.email)}`, customer.token);
  expect(res.status).toBe(403);
  expect(res.body.code).toBe('forbidden');
  // Their own list still works without it.
  const own = await search('limit=100', customer.token);
  expect(own.body.items.map((o: { id: string }) => o.id)).toEqual([...mine].reverse());
});
