/** Completing a sale against the real PostgreSQL: one statement, exact stock, races settled once. */
import { randomUUID } from 'node:crypto';
import { inTransaction } from '../../prisma/client';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { createPaymentRepository } from '../../prisma/repositories/payments';
import { createSaleRepository } from '../../prisma/repositories/sales';
import { UNPAID_STATUSES } from '../../domain/order-statuses';
import { useTestDatabase } from '../support/database';
import { createTestOrder, createTestProduct } from '../support/fixtures';

const db = useTestDatabase();

/** A PENDING order with a recorded charge and its stock reserved until `expiresAt`. */
async function reservedOrder(
  lines: { sku: string; quantity: number }[],
  expiresAt = new Date(Date.now() + 3_600_000),
): Promise<string> {
  const id = await createTestOrder(db(), lines);
  await createPaymentRepository(db()).recordAttempt({
    orderId: id,
    provider: 'test',
    providerPaymentId: `pi-${id}`,
    status: 'PENDING',
    amountCents: 100,
    capturedCents: 0,
  });
  expect(await createInventoryRepository(db()).reserveForOrder(id, lines, expiresAt)).toEqual({ ok: true });
  return id;
}

test('the sale pays the order, captures the payment and sells the reserved units; a second call changes nothing', async () => {
  const sales = createSaleRepository(db());
  const inventory = createInventoryRepository(db());
  const [a, b] = [await createTestProduct(db(), { onHand: 10 }), await createTestProduct(db(), { onHand: 10 })];
  const order = await reservedOrder([
    { sku: a, quantity: 2 },
    { sku: b, quantity: 3 },
  ]);

  expect(await sales.complete(order, UNPAID_STATUSES)).toEqual({ paid: true, statusBefore: 'PENDING' });
  expect(await sales.complete(order, UNPAID_STATUSES)).toEqual({ paid: false, statusBefore: 'PAID' });

  expect(await createOrderRepository(db()).statusOf(order)).toBe('PAID');
  expect(await createPaymentRepository(db()).findByOrder(order)).toMatchObject({
    status: 'CAPTURED',
    capturedCents: 100,
  });
  expect(await inventory.getStock(a)).toEqual({ onHand: 8, reserved: 0 });
  expect(await inventory.getStock(b)).toEqual({ onHand: 7, reserved: 0 });
  expect((await inventory.reservationsOf(order)).map((r) => r.status)).toEqual(['COMMITTED', 'COMMITTED']);
});

test('an order no longer unpaid is not sold, and an unknown order is reported as such', async () => {
  const sales = createSaleRepository(db());
  const sku = await createTestProduct(db(), { onHand: 10 });
  const order = await reservedOrder([{ sku, quantity: 4 }]);
  await createOrderRepository(db()).transition(order, ['PENDING'], 'CANCELLED', 'CANCELLED_BY_REQUEST');

  expect(await sales.complete(order, UNPAID_STATUSES)).toEqual({ paid: false, statusBefore: 'CANCELLED' });
  expect(await createInventoryRepository(db()).getStock(sku)).toEqual({ onHand: 10, reserved: 4 });
  expect(await sales.complete(randomUUID(), UNPAID_STATUSES)).toEqual({ paid: false, statusBefore: null });
});

test('sales racing the expiry sweep over shared skus: each order is sold or released exactly once', async () => {
  const sales = createSaleRepository(db());
  const inventory = createInventoryRepository(db());
  const [a, b] = [await createTestProduct(db(), { onHand: 100 }), await createTestProduct(db(), { onHand: 100 })];
  // Test files share one database and the sweep is not scoped to an order: these reservations
  // expired in 1970 and the sweeps below look as of the next day, so they touch no other file's
  // reservations (the expiry-sweep test in inventory.test.ts reserves an expired one of its own).
  const expired = new Date(0);
  const sweptAsOf = new Date(86_400_000);
  const orders = await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      reservedOrder(
        i % 2 === 0
          ? [
              { sku: a, quantity: 1 },
              { sku: b, quantity: 2 },
            ]
          : [
              { sku: b, quantity: 2 },
              { sku: a, quantity: 1 },
            ],
        expired,
      ),
    ),
  );

  // Small sweeps between the sales, so that some orders go each way.
  const work = orders.flatMap((id) => [sales.complete(id, UNPAID_STATUSES), inventory.releaseExpired(sweptAsOf, 1)]);
  const outcomes = (await Promise.all(work)).filter((o) => typeof o !== 'number');

  const sold = outcomes.filter((o) => o.paid).length;
  const statuses = await Promise.all(orders.map((id) => createOrderRepository(db()).statusOf(id)));
  expect(statuses.filter((s) => s === 'PAID')).toHaveLength(sold);
  expect(statuses.filter((s) => s === 'CANCELLED')).toHaveLength(16 - sold);
  // Whatever the interleaving: sold units left on-hand stock, released ones went back, none stay reserved.
  expect(await inventory.getStock(a)).toEqual({ onHand: 100 - sold, reserved: 0 });
  expect(await inventory.getStock(b)).toEqual({ onHand: 100 - 2 * sold, reserved: 0 });
});

test('a repository call inside a transaction joins it (no savepoint): it rolls back with it', async () => {
  const sku = await createTestProduct(db(), { onHand: 10 });
  const order = randomUUID();
  await expect(
    db().$transaction(async (tx) => {
      await inTransaction(tx, async (joined) => {
        expect(joined).toBe(tx);
        await createInventoryRepository(joined).reserveForOrder(
          order,
          [{ sku, quantity: 3 }],
          new Date(Date.now() + 60_000),
        );
      });
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  expect(await createInventoryRepository(db()).getStock(sku)).toEqual({ onHand: 10, reserved: 0 });
});
