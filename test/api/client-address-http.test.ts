/**
 * The per-client login limit over real HTTP: X-Forwarded-For is believed from a trusted proxy (the
 * test's own 127.0.0.1 peer, once it is listed) and ignored from any other peer.
 */
import { useApiHarness, type ApiHarness } from '../support/api-harness';

const LIMIT = { LOGIN_FAILURES_PER_CLIENT: '3' };
const behindIngress = useApiHarness({ ...LIMIT, TRUSTED_PROXIES: '127.0.0.0/8' });
const direct = useApiHarness({ ...LIMIT, TRUSTED_PROXIES: '10.0.0.0/8' });

const fail = (api: ApiHarness, i: number, forwardedFor: string) =>
  api.request('POST', '/v1/auth/token', {
    body: { email: `spray-${i}-${Date.now()}@test.example`, password: 'x' },
    headers: { 'X-Forwarded-For': forwardedFor },
  });

test('through a trusted proxy each forwarded client has its own allowance', async () => {
  for (let i = 0; i < 3; i++) expect((await fail(behindIngress, i, '198.51.100.1')).status).toBe(401);
  expect((await fail(behindIngress, 3, '198.51.100.1')).status).toBe(429);
  // Another client behind the same ingress is not blocked by the first one's failures ...
  expect((await fail(behindIngress, 4, '198.51.100.2')).status).toBe(401);
  // ... nor can the blocked client escape by prepending an address of its own choosing.
  expect((await fail(behindIngress, 5, '192.0.2.99, 198.51.100.1')).status).toBe(429);
});

test('from an untrusted peer a spoofed X-Forwarded-For is ignored: the peer is the client', async () => {
  for (let i = 0; i < 3; i++) expect((await fail(direct, i, `203.0.113.${i}`)).status).toBe(401);
  expect((await fail(direct, 3, '203.0.113.200')).status).toBe(429);
});
