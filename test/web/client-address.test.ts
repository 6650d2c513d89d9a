/**
 * The pages call the API in-process, and the API's per-client limits still count the shopper's
 * own address: failed sign-ins through /login and through POST /v1/auth/token share one
 * allowance per client, resolved by the same TRUSTED_PROXIES rule (api/http/in-process.ts).
 */
import { useApiHarness } from '../support/api-harness';
import { WebClient } from '../support/web-client';

// The harness's HTTP client connects from 127.0.0.1, standing in for the ingress here.
const api = useApiHarness({ TRUSTED_PROXIES: '127.0.0.1', LOGIN_FAILURES_PER_CLIENT: '3' });

const unknownEmail = () => `nobody-${Math.random().toString(36).slice(2)}@test.example`;

async function signIn(web: WebClient, clientAddress: string, email: string, password: string) {
  const token = await web.csrfTokenOf('/login');
  return web.post('/login', { email, password, _csrf: token }, { 'X-Forwarded-For': clientAddress });
}

describe('the client address of in-process API calls', () => {
  it('counts failed sign-ins on the pages against the shopper address, shared with the API', async () => {
    const user = await api.userWithToken('customer');
    const attacker = new WebClient(api.baseUrl);
    for (let i = 0; i < 3; i++) {
      expect((await signIn(attacker, '203.0.113.7', unknownEmail(), 'wrong')).status).toBe(401);
    }
    // That address's allowance is used up, for the pages and for the API alike.
    const refused = await signIn(attacker, '203.0.113.7', user.email, user.password);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Too many attempts');
    expect(attacker.cookies.has('session')).toBe(false);
    const direct = await api.request('POST', '/v1/auth/token', {
      body: { email: user.email, password: user.password },
      headers: { 'X-Forwarded-For': '203.0.113.7' },
    });
    expect(direct.status).toBe(429);

    // Another shopper behind the same ingress is not locked out by it.
    const shopper = new WebClient(api.baseUrl);
    const accepted = await signIn(shopper, '198.51.100.9', user.email, user.password);
    expect(accepted.status).toBe(303);
    expect(shopper.cookies.has('session')).toBe(true);
  });
});
