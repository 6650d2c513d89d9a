/**
 * docs/api.md#rate-limits: the failed-login limit holds under concurrency. However many
 * attempts for one email arrive at once, at most 10 reach the password check in a window; the rest
 * are 429 rate_limited with Retry-After. Real HTTP, real Redis; the verifier is wrapped to count.
 */
import { createScryptHasher, type PasswordHasher } from '../../domain/passwords';
import { useApiHarness } from '../support/api-harness';
import { createTestUser } from '../support/fixtures';

const checked: string[] = [];
const scrypt = createScryptHasher({ N: 2 ** 14, r: 8, p: 1 });
const countingVerifier: PasswordHasher = {
  ...scrypt,
  async verify(password, stored) {
    checked.push(password);
    return scrypt.verify(password, stored);
  },
};
const api = useApiHarness({}, { passwords: countingVerifier });

test('80 parallel wrong-password logins for one email: at most 10 password checks, the rest 429', async () => {
  const user = await createTestUser(api.deps.db);
  const attempts = Array.from({ length: 80 }, (_, i) =>
    api.request('POST', '/v1/auth/token', { body: { email: user.email, password: `wrong-${i}` } }),
  );
  const answers = await Promise.all(attempts);

  const statuses = answers.map((r) => r.status);
  const unauthorized = statuses.filter((s) => s === 401).length;
  expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
  expect(unauthorized).toBeLessThanOrEqual(10);
  expect(statuses.filter((s) => s === 429).length).toBe(80 - unauthorized);
  expect(checked.filter((p) => p.startsWith('wrong-')).length).toBeLessThanOrEqual(10);
  for (const limited of answers.filter((r) => r.status === 429)) {
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  }

  // Once limited, even the right password is refused without a check.
  const before = checked.length;
  const right = await api.request('POST', '/v1/auth/token', { body: { email: user.email, password: user.password } });
  expect(right.status).toBe(429);
  expect(checked.length).toBe(before);
});

test('successful logins do not use up the failure allowance', async () => {
  const user = await createTestUser(api.deps.db);
  for (let i = 0; i < 15; i++) {
    const res = await api.request('POST', '/v1/auth/token', { body: { email: user.email, password: user.password } });
    expect(res.status).toBe(200);
  }
  for (let i = 0; i < 10; i++) {
    const res = await api.request('POST', '/v1/auth/token', { body: { email: user.email, password: `x-${i}` } });
    expect(res.status).toBe(401);
  }
  expect(
    (await api.request('POST', '/v1/auth/token', { body: { email: user.email, password: user.password } })).status,
  ).toBe(429);
});
