/**
 * docs/api.md#carts: guest carts are rate-limited per client address (429 `rate_limited` with
 * Retry-After), so anonymous `POST /v1/carts` cannot fill the carts table; other addresses and
 * customers keep creating carts.
 */
import { useApiHarness } from '../support/api-harness';

const LIMIT = 3;
// The test's own 127.0.0.1 peer is the trusted proxy, so X-Forwarded-For names the client.
const api = useApiHarness({ GUEST_CARTS_PER_CLIENT_PER_HOUR: String(LIMIT), TRUSTED_PROXIES: '127.0.0.0/8' });

const createFrom = (address: string, token?: string) =>
  api.request('POST', '/v1/carts', { headers: { 'X-Forwarded-For': address }, ...(token ? { token } : {}) });

test('a burst of guest carts from one address is refused beyond the limit; another address still creates carts', async () => {
  const burst = await Promise.all(Array.from({ length: LIMIT + 5 }, () => createFrom('198.51.100.7')));
  const statuses = burst.map((r) => r.status).sort();
  expect(statuses).toEqual([...Array(LIMIT).fill(201), ...Array(5).fill(429)]);
  const refused = burst.find((r) => r.status === 429)!;
  expect(refused.body.code).toBe('rate_limited');
  expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
  const created = burst.filter((r) => r.status === 201).map((r) => r.body.id as string);
  expect(await api.deps.db.cart.count({ where: { id: { in: created } } })).toBe(LIMIT);

  const other = await createFrom('198.51.100.8');
  expect(other.status).toBe(201);
  expect(other.body.customerId).toBeNull();

  // A customer's cart is theirs, not a guest cart: the blocked address does not stop it.
  const customer = await api.userWithToken();
  const own = await createFrom('198.51.100.7', customer.token);
  expect(own.status).toBe(201);
  expect(own.body.customerId).toBe(customer.id);
});
