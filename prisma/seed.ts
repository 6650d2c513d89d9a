/**
 * Development data: the users docs/api.md#authentication-and-roles names and a small catalog. Re-running is harmless: users get
 * their documented passwords back, products their names and prices, and stock is only set when a
 * product is new (a restart must not undo what the admin counted). A seeded user whose role and
 * password are already the documented ones is left untouched: rewriting it would end its tokens,
 * and `npm start` seeds on every start.
 */
import { hashPassword, verifyPassword } from '../domain/passwords';
import type { Db } from './client';
import { createCatalogRepository } from './repositories/catalog';
import { createUserRepository, type Role } from './repositories/users';

export const SEED_USERS: readonly { id: string; email: string; password: string; role: Role }[] = [
  {
    id: '00000000-0000-4000-8000-00000000a11c',
    email: 'alice@example.com',
    password: 'alice-password',
    role: 'customer',
  },
  { id: '00000000-0000-4000-8000-000000000b0b', email: 'bob@example.com', password: 'bob-password', role: 'customer' },
  {
    id: '00000000-0000-4000-8000-000000005a99',
    email: 'support@example.com',
    password: 'support-password',
    role: 'support',
  },
  { id: '00000000-0000-4000-8000-00000000ad01', email: 'admin@example.com', password: 'admin-password', role: 'admin' },
];

export const SEED_PRODUCTS = [
  { sku: 'TSHIRT-BLUE-M', name: 'Blue T-shirt (M)', priceCents: 1999, currency: 'USD', initialOnHand: 100 },
  { sku: 'MUG-TEMPORAL', name: 'Durable mug', priceCents: 1250, currency: 'USD', initialOnHand: 80 },
  { sku: 'HOODIE-GREY-L', name: 'Grey hoodie (L)', priceCents: 4999, currency: 'USD', initialOnHand: 60 },
  { sku: 'STICKER-PACK', name: 'Sticker pack', priceCents: 499, currency: 'USD', initialOnHand: 500 },
  { sku: 'CAP-BLACK', name: 'Black cap', priceCents: 2499, currency: 'USD', initialOnHand: 75 },
  { sku: 'BOOK-SAGAS', name: 'Sagas, explained', priceCents: 3900, currency: 'USD', initialOnHand: 50 },
] as const;

export async function seedDevData(db: Db): Promise<{ users: number; products: number }> {
  const users = createUserRepository(db);
  const catalog = createCatalogRepository(db);
  for (const u of SEED_USERS) {
    const existing = await users.findCredentialsByEmail(u.email);
    if (existing?.id === u.id && existing.role === u.role && (await verifyPassword(u.password, existing.passwordHash)))
      continue;
    await users.upsertUser({ id: u.id, email: u.email, role: u.role, passwordHash: await hashPassword(u.password) });
  }
  for (const p of SEED_PRODUCTS) await catalog.upsertProduct(p);
  return { users: SEED_USERS.length, products: SEED_PRODUCTS.length };
}
