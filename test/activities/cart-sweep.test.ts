/**
 * The guest-cart sweep's activity on the real PostgreSQL: an empty guest cart left alone for the
 * period docs/api.md#carts states is deleted, and nothing else is.
 */
import { createCartActivities, EMPTY_GUEST_CART_TTL_MS } from '../../activities/carts';
import { createCartRepository } from '../../prisma/repositories/carts';
import { useTestDatabase } from '../support/database';
import { createTestProduct, createTestUser } from '../support/fixtures';

const db = useTestDatabase();
const DAY_MS = 24 * 60 * 60 * 1000;

async function cartLastChanged(customerId: string | null, ageMs: number, sku?: string): Promise<string> {
  const carts = createCartRepository(db());
  const { cartId } = await carts.create(customerId);
  if (sku)
    await carts.addItem(
      cartId,
      customerId === null ? null : { userId: customerId, role: 'customer', tokenVersion: 0 },
      sku,
      1,
    );
  await db().cart.update({ where: { id: cartId }, data: { updatedAt: new Date(Date.now() - ageMs) } });
  return cartId;
}

test('deletes empty guest carts older than the period; keeps newer, filled and customer carts', async () => {
  expect(EMPTY_GUEST_CART_TTL_MS).toBe(7 * DAY_MS);
  const sku = await createTestProduct(db());
  const customer = await createTestUser(db());
  const stale = await cartLastChanged(null, 8 * DAY_MS);
  const staleMerged = await cartLastChanged(null, 8 * DAY_MS);
  await db().cart.update({
    where: { id: staleMerged },
    data: { status: 'MERGED', updatedAt: new Date(Date.now() - 8 * DAY_MS) },
  });
  const recent = await cartLastChanged(null, 6 * DAY_MS);
  const filled = await cartLastChanged(null, 30 * DAY_MS, sku);
  const customers = await cartLastChanged(customer.id, 30 * DAY_MS);

  const deleted = await createCartActivities({ db: db() }).deleteAbandonedGuestCarts();

  expect(deleted).toBeGreaterThanOrEqual(2);
  const left = await db().cart.findMany({
    where: { id: { in: [stale, staleMerged, recent, filled, customers] } },
    select: { id: true },
  });
  expect(left.map((c) => c.id).sort()).toEqual([recent, filled, customers].sort());
  expect(await db().cartLine.count({ where: { cartId: filled } })).toBe(1);
  // Running again finds nothing more of these.
  await createCartActivities({ db: db() }).deleteAbandonedGuestCarts();
  expect(await db().cart.count({ where: { id: { in: [recent, filled, customers] } } })).toBe(3);
});
