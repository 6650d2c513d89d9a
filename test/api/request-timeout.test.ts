/**
 * Request timeouts: a request stuck behind the database (here: a table lock held by another session)
 * gets 503 `request_timeout` with Retry-After after REQUEST_TIMEOUT_MS, instead of hanging the client.
 */
import { Client as PgClient } from 'pg';
import { useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';
import { testEnv } from '../support/test-env';

const api = useApiHarness({ REQUEST_TIMEOUT_MS: '500' });

test('a request blocked longer than REQUEST_TIMEOUT_MS answers 503 request_timeout, and the API keeps serving', async () => {
  const sku = await createTestProduct(api.deps.db);
  const locker = new PgClient({ connectionString: testEnv.databaseUrl });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    const res = await api.request('GET', `/v1/products/${sku}`);
    const elapsed = Date.now() - started;

    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({ status: 503, code: 'request_timeout' });
    // The deadline's own answer is built like any other: the envelope's headers are on it.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(elapsed).toBeGreaterThanOrEqual(450);
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
  // Once the lock is gone the same read answers normally.
  const again = await api.request('GET', `/v1/products/${sku}`);
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ sku });
});
