/**
 * Every answer carries the request id and the JSON API's security headers, however it was built:
 * a handler's body, onError's problem+json, the 404, the body limit's 413, a CORS preflight. Over
 * real HTTP they are set on Node's response (api/http/response-headers.ts); through app.request(),
 * with no Node response, on Hono's context: both must give the same headers.
 */
import { createApp } from '../../api/app';
import { SECURITY_HEADERS } from '../../api/http/security-headers';
import { useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectEnvelope(headers: Headers): void {
  for (const [name, value] of SECURITY_HEADERS) expect(headers.get(name)).toBe(value);
  expect(headers.get('x-request-id')).toMatch(/^[\w\-=]{1,255}$/);
  expect(headers.get('x-powered-by')).toBeNull();
}

test('the envelope is on answers of every kind, each with its own status and content type', async () => {
  const sku = await createTestProduct(api.deps.db);
  const customer = await api.userWithToken();
  const answers = [
    { res: await api.request('GET', `/v1/products/${sku}`), status: 200, type: 'application/json' },
    { res: await api.request('GET', '/v1/no-such-route'), status: 404, type: 'application/problem+json' },
    { res: await api.request('GET', '/v1/products/NO-SUCH-SKU'), status: 404, type: 'application/problem+json' },
    { res: await api.request('GET', '/v1/orders'), status: 401, type: 'application/problem+json' },
    {
      res: await api.request('POST', '/v1/checkouts', {
        token: customer.token,
        rawBody: JSON.stringify({ pad: 'x'.repeat(70 * 1024) }),
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'envelope-413' },
      }),
      status: 413,
      type: 'application/problem+json',
    },
  ];
  for (const { res, status, type } of answers) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
    expectEnvelope(res.headers);
    // Non-browser answers say that they would differ for a browser's Origin.
    expect(res.headers.get('vary')).toBe('Origin');
  }
});

test('a CORS preflight and a cross-origin read carry the envelope and their CORS headers', async () => {
  const preflight = await fetch(`${api.baseUrl}/v1/checkouts`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
  });
  expect(preflight.status).toBe(204);
  expectEnvelope(preflight.headers);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');

  const read = await fetch(`${api.baseUrl}/v1/products`, { headers: { Origin: 'http://localhost:5173' } });
  expect(read.status).toBe(200);
  expectEnvelope(read.headers);
  expect(read.headers.get('vary')).toBe('Origin');
});

test("the caller's X-Request-Id is echoed when plausible and replaced when not", async () => {
  const echoed = await api.request('GET', '/healthz', { headers: { 'X-Request-Id': 'lb-trace_42=' } });
  expect(echoed.headers.get('x-request-id')).toBe('lb-trace_42=');

  for (const hostile of ['has space', 'semi;colon', 'x'.repeat(256)]) {
    const res = await api.request('GET', '/healthz', { headers: { 'X-Request-Id': hostile } });
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  }
  const fresh = await Promise.all([api.request('GET', '/healthz'), api.request('GET', '/healthz')]);
  const ids = fresh.map((r) => r.headers.get('x-request-id'));
  expect(ids[0]).toMatch(UUID);
  expect(ids[0]).not.toBe(ids[1]);
});

test('through app.request() (no Node response) the answers carry the same headers', async () => {
  const app = createApp(api.deps);
  const ok = await app.request('/healthz', { headers: { 'X-Request-Id': 'in-process-1' } });
  expect(ok.status).toBe(200);
  expectEnvelope(ok.headers);
  expect(ok.headers.get('x-request-id')).toBe('in-process-1');
  expect(ok.headers.get('vary')).toBe('Origin');

  const missing = await app.request('/v1/no-such-route');
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toBe('application/problem+json');
  expectEnvelope(missing.headers);
});
