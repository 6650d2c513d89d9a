/**
 * Password hashes at OWASP's scrypt cost (N=2^17, r=8, p=1) by default, and hashes made at an older
 * cost are upgraded on the next successful login (the only moment the password is known).
 */
import { randomUUID } from 'node:crypto';
import { loadApiConfig } from '../../api/config';
import { hashPassword, needsRehash, RECOMMENDED_COST, verifyPassword } from '../../domain/passwords';
import { createUserRepository } from '../../prisma/repositories/users';
import { useApiHarness } from '../support/api-harness';

// This file runs the production cost on purpose (the harness's default is the cheaper test cost).
const api = useApiHarness({ PASSWORD_SCRYPT_LOG2_N: '17' });

test('the production default is N=2^17, r=8, p=1, and production refuses less', async () => {
  expect(RECOMMENDED_COST).toEqual({ N: 131_072, r: 8, p: 1 });
  expect(loadApiConfig({}).PASSWORD_SCRYPT_LOG2_N).toBe(17);
  expect(() => loadApiConfig({ NODE_ENV: 'production', PASSWORD_SCRYPT_LOG2_N: '14' })).toThrow(
    /PASSWORD_SCRYPT_LOG2_N/,
  );
  expect((await hashPassword('x')).startsWith('scrypt$131072$8$1$')).toBe(true);
});

test('a hash records its cost: an old one verifies and is detected as outdated', async () => {
  const old = await hashPassword('pw', { N: 16_384, r: 8, p: 1 });
  expect(await verifyPassword('pw', old)).toBe(true);
  expect(needsRehash(old, RECOMMENDED_COST)).toBe(true);
  expect(needsRehash(old, { N: 16_384, r: 8, p: 1 })).toBe(false);
  expect(needsRehash('bcrypt$whatever', RECOMMENDED_COST)).toBe(true);
});

test('a user with an old-cost hash logs in; afterwards the stored hash has the new cost and still verifies', async () => {
  const users = createUserRepository(api.deps.db);
  const id = randomUUID();
  const email = `legacy-${id}@test.example`;
  const password = `pw-${id}`;
  // The cost every hash had before this change (N=16384).
  await users.upsertUser({
    id,
    email,
    role: 'customer',
    passwordHash: await hashPassword(password, { N: 16_384, r: 8, p: 1 }),
  });

  const token = await api.login({ email, password });
  expect((await api.request('GET', '/v1/orders', { token })).status).toBe(200);

  const upgraded = (await users.findCredentialsByEmail(email))?.passwordHash ?? '';
  expect(upgraded.startsWith('scrypt$131072$8$1$')).toBe(true);
  expect(await verifyPassword(password, upgraded)).toBe(true);
  expect(await verifyPassword('wrong', upgraded)).toBe(false);

  // Logging in again works and leaves the (now current) hash alone.
  await api.login({ email, password });
  expect((await users.findCredentialsByEmail(email))?.passwordHash).toBe(upgraded);
});
