/**
 * `npm start` seeds on every start (tooling/db-setup.ts): seeding users who are already as the seed
 * describes them must change nothing, or every restart signs alice, bob, support and admin out.
 */
import { hashPassword } from '../../domain/passwords';
import { seedDevData, SEED_USERS } from '../../prisma/seed';
import { useApiHarness } from '../support/api-harness';
import { TEST_PASSWORD_COST } from '../support/fixtures';

const api = useApiHarness();

const seededRows = () =>
  api.deps.db.user.findMany({ where: { id: { in: SEED_USERS.map((u) => u.id) } }, orderBy: { id: 'asc' } });

test('seeding twice leaves the seeded users as they were, and their tokens keep working', async () => {
  await seedDevData(api.deps.db);
  const before = await seededRows();
  expect(before).toHaveLength(SEED_USERS.length);
  const tokens = await Promise.all(SEED_USERS.map((u) => api.login({ email: u.email, password: u.password })));

  await seedDevData(api.deps.db);

  expect(await seededRows()).toEqual(before);
  for (const token of tokens) expect((await api.request('GET', '/v1/orders', { token })).status).toBe(200);
});

test('a seeded user whose password was changed gets the documented one back, and its old tokens end', async () => {
  await seedDevData(api.deps.db);
  const bob = SEED_USERS.find((u) => u.email === 'bob@example.com')!;
  const token = await api.login(bob);
  await api.deps.db.user.update({
    where: { id: bob.id },
    data: { passwordHash: await hashPassword('another-password', TEST_PASSWORD_COST) },
  });

  await seedDevData(api.deps.db);

  expect((await api.request('GET', '/v1/orders', { token })).status).toBe(401);
  expect((await api.request('GET', '/v1/orders', { token: await api.login(bob) })).status).toBe(200);
});
