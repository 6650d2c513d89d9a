/** Stock reservations against the real PostgreSQL: exact numbers, idempotency, no oversell. */
import { randomUUID } from 'node:crypto';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { createSaleRepository } from '../../prisma/repositories/sales';
import { createTestOrder, createTestProduct } from '../support/fixtures';
import { useTestDatabase } from '../support/database';

const db = useTestDatabase();
const inAnHour = () => new Date(Date.now() + 3_600_000);

test('reserve, release and the sale move on-hand and reserved exactly', async () => {
  const inventory = createInventoryRepository(db());
  const sku = await createTestProduct(db(), { onHand: 10 });
  const a = randomUUID();
  const b = await createTestOrder(db(), [{ sku, quantity: 4 }]);

  expect(await inventory.reserveForOrder(a, [{ sku, quantity: 3 }], inAnHour())).toEqual({ ok: true });
  expect(await inventory.reserveForOrder(b, [{ sku, quantity: 4 }], inAnHour())).toEqual({ ok: true });
  expect(await inventory.getStock(sku)).toEqual({ onHand: 10, reserved: 7 });

  expect(await inventory.releaseForOrder(a)).toBe(1);
  expect(await inventory.getStock(sku)).toEqual({ onHand: 10, reserved: 4 });

  expect(await createSaleRepository(db()).complete(b, ['PENDING'])).toEqual({ paid: true, statusBefore: 'PENDING' });
  expect(await inventory.getStock(sku)).toEqual({ onHand: 6, reserved: 0 });
  expect(await inventory.reservationsOf(b)).toEqual([{ sku, quantity: 4, status: 'COMMITTED' }]);
});

test('reserving is idempotent per order and releasing twice releases once', async () => {
  const inventory = createInventoryRepository(db());
  const sku = await createTestProduct(db(), { onHand: 5 });
  const order = randomUUID();

  await inventory.reserveForOrder(order, [{ sku, quantity: 2 }], inAnHour());
  await inventory.reserveForOrder(order, [{ sku, quantity: 2 }], inAnHour());
  expect(await inventory.getStock(sku)).toEqual({ onHand: 5, reserved: 2 });

  expect(await inventory.releaseForOrder(order)).toBe(1);
  expect(await inventory.releaseForOrder(order)).toBe(0);
  expect(await inventory.getStock(sku)).toEqual({ onHand: 5, reserved: 0 });
});

test('a multi-line reservation is all or nothing', async () => {
  const inventory = createInventoryRepository(db());
  const plenty = await createTestProduct(db(), { onHand: 50 });
  const scarce = await createTestProduct(db(), { onHand: 1 });
  const order = randomUUID();

  const outcome = await inventory.reserveForOrder(
    order,
    [
      { sku: plenty, quantity: 5 },
      { sku: scarce, quantity: 2 },
    ],
    inAnHour(),
  );

  expect(outcome).toEqual({ ok: false, shortSkus: [scarce] });
  expect(await inventory.getStock(plenty)).toEqual({ onHand: 50, reserved: 0 });
  expect(await inventory.reservationsOf(order)).toEqual([]);
});

test('40 concurrent reservations of 1 unit against 15 in stock: exactly 15 succeed, never negative', async () => {
  const inventory = createInventoryRepository(db());
  const sku = await createTestProduct(db(), { onHand: 15 });

  const outcomes = await Promise.all(
    Array.from({ length: 40 }, () => inventory.reserveForOrder(randomUUID(), [{ sku, quantity: 1 }], inAnHour())),
  );

  expect(outcomes.filter((o) => o.ok)).toHaveLength(15);
  expect(await inventory.getStock(sku)).toEqual({ onHand: 15, reserved: 15 });
});

test('a sku without stock is short, and nothing of the order is reserved', async () => {
  const inventory = createInventoryRepository(db());
  const sku = await createTestProduct(db(), { onHand: 5 });
  const order = randomUUID();

  expect(
    await inventory.reserveForOrder(
      order,
      [
        { sku, quantity: 1 },
        { sku: 'NO-SUCH-SKU', quantity: 1 },
      ],
      inAnHour(),
    ),
  ).toEqual({
    ok: false,
    shortSkus: ['NO-SUCH-SKU'],
  });
  expect(await inventory.getStock(sku)).toEqual({ onHand: 5, reserved: 0 });
  expect(await inventory.reservationsOf(order)).toEqual([]);
});

test('30 concurrent two-line orders, lines in either order, against 20 of each: 20 succeed, no deadlock', async () => {
  const inventory = createInventoryRepository(db());
  const [a, b] = [await createTestProduct(db(), { onHand: 20 }), await createTestProduct(db(), { onHand: 20 })];

  const outcomes = await Promise.all(
    Array.from({ length: 30 }, (_, i) => {
      const lines = [
        { sku: a, quantity: 1 },
        { sku: b, quantity: 1 },
      ];
      return inventory.reserveForOrder(randomUUID(), i % 2 === 0 ? lines : lines.reverse(), inAnHour());
    }),
  );

  expect(outcomes.filter((o) => o.ok)).toHaveLength(20);
  expect(await inventory.getStock(a)).toEqual({ onHand: 20, reserved: 20 });
  expect(await inventory.getStock(b)).toEqual({ onHand: 20, reserved: 20 });
});

test('on-hand cannot be set below what is reserved, nor for an unknown sku', async () => {
  const inventory = createInventoryRepository(db());
  const sku = await createTestProduct(db(), { onHand: 10 });
  await inventory.reserveForOrder(randomUUID(), [{ sku, quantity: 6 }], inAnHour());

  expect(await inventory.setOnHand(sku, 5)).toBe('below_reserved');
  expect(await inventory.setOnHand(sku, 6)).toBe('updated');
  expect(await inventory.setOnHand('NO-SUCH-SKU', 6)).toBe('not_found');
  expect(await inventory.getStock(sku)).toEqual({ onHand: 6, reserved: 6 });
});

test('the database itself refuses negative stock (CHECK constraint), whatever the caller', async () => {
  const sku = await createTestProduct(db(), { onHand: 1 });
  await expect(db().$executeRaw`UPDATE inventory SET on_hand = -1 WHERE sku = ${sku}`).rejects.toThrow();
  expect(await createInventoryRepository(db()).getStock(sku)).toEqual({ onHand: 1, reserved: 0 });
});

test('the expiry sweep releases abandoned checkouts and cancels them, but never touches paid orders', async () => {
  const inventory = createInventoryRepository(db());
  const orders = createOrderRepository(db());
  const sku = await createTestProduct(db(), { onHand: 10 });
  const newOrder = async (status: 'PENDING' | 'PAID') => {
    const id = await createTestOrder(db(), [{ sku, quantity: 2 }]);
    if (status === 'PAID') await orders.transition(id, ['PENDING'], 'PAID');
    return id;
  };
  const past = new Date(Date.now() - 60_000);
  const abandoned = await newOrder('PENDING');
  const fresh = await newOrder('PENDING');
  await inventory.reserveForOrder(abandoned, [{ sku, quantity: 2 }], past);
  await inventory.reserveForOrder(fresh, [{ sku, quantity: 2 }], inAnHour());
  expect(await inventory.getStock(sku)).toEqual({ onHand: 10, reserved: 4 });

  await inventory.releaseExpired(new Date());

  expect(await inventory.getStock(sku)).toEqual({ onHand: 10, reserved: 2 });
  expect(await orders.statusOf(abandoned)).toBe('CANCELLED');
  expect((await orders.findById(abandoned))?.failureReason).toBe('RESERVATION_EXPIRED');
  expect(await orders.statusOf(fresh)).toBe('PENDING');
  expect(await inventory.reservationsOf(fresh)).toEqual([{ sku, quantity: 2, status: 'ACTIVE' }]);
});
