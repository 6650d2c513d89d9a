/** Writing orders against the real PostgreSQL: one row per order id, one order per idempotency key. */
import { randomUUID } from 'node:crypto';
import { createOrderRepository, DuplicateIdempotencyKeyError, type NewOrder } from '../../prisma/repositories/orders';
import { useTestDatabase } from '../support/database';
import { createTestProduct } from '../support/fixtures';
import { checkoutWorkflowId } from '../../domain/ids';

const db = useTestDatabase();

async function newOrder(overrides: Partial<NewOrder> = {}): Promise<NewOrder> {
  const [id, customerId, idempotencyKey] = [randomUUID(), randomUUID(), randomUUID()];
  const [a, b] = [await createTestProduct(db()), await createTestProduct(db())];
  return {
    id,
    customerId,
    workflowId: checkoutWorkflowId(customerId, idempotencyKey),
    idempotencyKey,
    requestHash: 'h',
    currency: 'USD',
    shippingAddress: { name: 'Ada', line1: '1 Loop Rd', city: 'Ünïcode 東京', postalCode: 'N1', country: 'GB' },
    items: [
      { sku: a, quantity: 2, unitPriceCents: 350 },
      { sku: b, quantity: 1, unitPriceCents: 1200 },
    ],
    ...overrides,
  };
}

test('createPending writes the order and its lines at the given prices, PENDING', async () => {
  const order = await newOrder();

  expect(await createOrderRepository(db()).createPending(order)).toEqual({
    id: order.id,
    totalCents: 1900,
    status: 'PENDING',
  });

  const view = await createOrderRepository(db()).findById(order.id);
  expect(view).toMatchObject({
    customerId: order.customerId,
    currency: 'USD',
    totalCents: 1900,
    refundedCents: 0,
    workflowId: order.workflowId,
  });
  expect(view?.items).toEqual([...order.items].sort((x, y) => x.sku.localeCompare(y.sku)));
  expect(await db().order.findUnique({ where: { id: order.id }, select: { shippingAddress: true } })).toEqual({
    shippingAddress: order.shippingAddress,
  });
});

test('five concurrent writes of one order make one row with its lines once', async () => {
  const order = await newOrder();

  const results = await Promise.all(Array.from({ length: 5 }, () => createOrderRepository(db()).createPending(order)));

  expect(results).toEqual(Array.from({ length: 5 }, () => ({ id: order.id, totalCents: 1900, status: 'PENDING' })));
  expect(await db().order.count({ where: { id: order.id } })).toBe(1);
  expect(await db().orderItem.count({ where: { orderId: order.id } })).toBe(2);
});

test("another order with the customer's idempotency key is refused and writes nothing", async () => {
  const first = await newOrder();
  await createOrderRepository(db()).createPending(first);
  const second = await newOrder({ customerId: first.customerId, idempotencyKey: first.idempotencyKey });

  await expect(createOrderRepository(db()).createPending(second)).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
  expect(await db().order.count({ where: { id: second.id } })).toBe(0);
  expect(await db().orderItem.count({ where: { orderId: second.id } })).toBe(0);
});
