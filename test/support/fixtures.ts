/** Test data created through the repositories, unique per call so test files never collide. */
import { randomUUID } from 'node:crypto';
import { hashPassword, type ScryptCost } from '../../domain/passwords';
import type { Db } from '../../prisma/client';
import { createCatalogRepository } from '../../prisma/repositories/catalog';
import { createOrderRepository, type ShippingAddress } from '../../prisma/repositories/orders';
import { createUserRepository, type Role } from '../../prisma/repositories/users';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

/**
 * A cheaper scrypt cost than production's N=2^17 (about 16x faster), matched by the harness's
 * PASSWORD_SCRYPT_LOG2_N=14, so the hundreds of test users hash and log in quickly.
 */
export const TEST_PASSWORD_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };

export async function createTestUser(db: Db, role: Role = 'customer'): Promise<TestUser> {
  const id = randomUUID();
  const user = { id, email: `${role}-${id}@test.example`, password: `pw-${id}`, role };
  await createUserRepository(db).upsertUser({
    id,
    email: user.email,
    role,
    passwordHash: await hashPassword(user.password, TEST_PASSWORD_COST),
  });
  return user;
}

export async function createTestProduct(
  db: Db,
  {
    onHand = 100,
    priceCents = 1000,
    currency = 'USD',
  }: { onHand?: number; priceCents?: number; currency?: string } = {},
): Promise<string> {
  const sku = `TEST-${randomUUID().slice(0, 8).toUpperCase()}`;
  await createCatalogRepository(db).upsertProduct({
    sku,
    name: `Test product ${sku}`,
    priceCents,
    currency,
    initialOnHand: onHand,
  });
  return sku;
}

export const TEST_ADDRESS: ShippingAddress = { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'GB' };

/** A PENDING order of `lines` at 100 cents a unit, written as the API writes it; returns its id. */
export async function createTestOrder(
  db: Db,
  lines: { sku: string; quantity: number }[],
  { shippingAddress = TEST_ADDRESS }: { shippingAddress?: ShippingAddress } = {},
): Promise<string> {
  const id = randomUUID();
  await createOrderRepository(db).createPending({
    id,
    customerId: randomUUID(),
    workflowId: `w-${id}`,
    idempotencyKey: id,
    requestHash: 'h',
    currency: 'USD',
    shippingAddress,
    items: lines.map((l) => ({ ...l, unitPriceCents: 100 })),
  });
  return id;
}
