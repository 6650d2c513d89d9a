/**
 * "Secrets never logged": with every log level on, a session of logins, authenticated calls, webhooks
 * and failures writes log lines, and none of them contains a password, an access token, the signing
 * secret, a webhook secret or a signature. Configuration errors name the variable, never its value.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadApiConfig } from '../../api/config';
import { createLogger } from '../../platform/logger';
import { checkoutBody, useApiHarness } from '../support/api-harness';
import { createTestProduct, createTestUser } from '../support/fixtures';

const JWT_SECRET = `jwt-secret-${randomUUID()}-${randomUUID()}`;
const PAYMENT_WEBHOOK_SECRET = `payment-hook-${randomUUID()}`;
const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
const api = useApiHarness(
  { JWT_SECRET, PAYMENT_WEBHOOK_SECRET, LOG_LEVEL: 'trace' },
  { logger: createLogger({ service: 'commerce-api', level: 'trace' }, sink) },
);

test('a busy session logs requests but never a secret', async () => {
  const customer = await createTestUser(api.deps.db);
  const token = await api.login(customer);
  const wrongPassword = `wrong-${randomUUID()}`;
  expect(
    (await api.request('POST', '/v1/auth/token', { body: { email: customer.email, password: wrongPassword } })).status,
  ).toBe(401);
  const sku = await createTestProduct(api.deps.db);
  expect(
    (
      await api.request('POST', '/v1/checkouts', {
        token,
        body: checkoutBody([{ sku, quantity: 1 }]),
        headers: { 'Idempotency-Key': randomUUID() },
      })
    ).status,
  ).toBe(202);
  expect((await api.request('GET', `/v1/orders/${randomUUID()}`, { token })).status).toBe(404);
  expect((await api.request('GET', '/v1/orders', { token: `${token}tampered` })).status).toBe(401);
  const hook = JSON.stringify({
    id: `evt_${randomUUID()}`,
    type: 'payment.succeeded',
    data: { paymentId: 'pi_unknown' },
  });
  const signature = `sha256=${createHmac('sha256', PAYMENT_WEBHOOK_SECRET).update(hook).digest('hex')}`;
  await api.request('POST', '/v1/webhooks/payments', {
    rawBody: hook,
    headers: { 'Content-Type': 'application/json', 'X-Signature': signature },
  });
  expect(
    (
      await api.request('POST', '/v1/webhooks/payments', {
        rawBody: hook,
        headers: { 'Content-Type': 'application/json', 'X-Signature': 'sha256=00' },
      })
    ).status,
  ).toBe(401);

  const text = lines.join('\n');
  // The session was logged (so the absence below means something) ...
  expect(lines.filter((l) => JSON.parse(l).msg === 'request').length).toBeGreaterThanOrEqual(7);
  expect(text).toContain('"status":401');
  // ... and no secret reached the log.
  for (const secret of [
    customer.password,
    wrongPassword,
    token,
    JWT_SECRET,
    PAYMENT_WEBHOOK_SECRET,
    signature.slice(7),
  ]) {
    expect(text).not.toContain(secret);
  }
});

test('a configuration error names the variable, not its value', () => {
  const tooShort = 'short-secret-value';
  expect(() => loadApiConfig({ JWT_SECRET: tooShort, DATABASE_URL: 'not a url postgres://u:hunter2@db' })).toThrow(
    /JWT_SECRET/,
  );
  try {
    loadApiConfig({ JWT_SECRET: tooShort, DATABASE_URL: 'not a url postgres://u:hunter2@db' });
  } catch (error) {
    expect(String(error)).toContain('DATABASE_URL');
    expect(String(error)).not.toContain(tooShort);
    expect(String(error)).not.toContain('hunter2');
  }
});

test('payment tokens, shipping addresses and emails are redacted too', () => {
  const captured: string[] = [];
  const logger = createLogger(
    { service: 'test', level: 'info' },
    new Writable({
      write(chunk: Buffer, _e, done) {
        captured.push(chunk.toString());
        done();
      },
    }),
  );
  logger.info(
    {
      token: 'tok_top_secret',
      paymentToken: 'tok_visa_4242',
      email: 'ada@example.com',
      shippingAddress: { name: 'Ada Lovelace', line1: '12 Analytical Row' },
      input: { paymentToken: 'tok_nested', shippingAddress: { city: 'London' }, email: 'bob@example.com' },
      body: { paymentMethod: { token: 'tok_in_body' } },
      user: { email: 'carol@example.com' },
    },
    'checkout',
  );
  const [line] = captured;
  expect(line).toBeDefined();
  expect(line).not.toMatch(/tok_|@example\.com|Lovelace|Analytical|London/);
  expect(JSON.parse(line!)).toMatchObject({
    token: '[redacted]',
    paymentToken: '[redacted]',
    email: '[redacted]',
    shippingAddress: '[redacted]',
    input: { paymentToken: '[redacted]', shippingAddress: '[redacted]', email: '[redacted]' },
    body: { paymentMethod: { token: '[redacted]' } },
    user: { email: '[redacted]' },
  });
});

test('logged objects have their secret-bearing fields redacted', () => {
  const captured: string[] = [];
  const logger = createLogger(
    { service: 'test', level: 'info' },
    new Writable({
      write(chunk: Buffer, _e, done) {
        captured.push(chunk.toString());
        done();
      },
    }),
  );
  logger.info(
    {
      password: 'p4ss',
      headers: { authorization: 'Bearer abc.def.ghi' },
      config: { JWT_SECRET: 'k3y', DATABASE_URL: 'postgres://u:pw@h/db' },
    },
    'oops',
  );
  const [line] = captured;
  expect(line).toBeDefined();
  expect(line).not.toMatch(/p4ss|abc\.def\.ghi|k3y|u:pw@h/);
  expect(JSON.parse(line!)).toMatchObject({
    password: '[redacted]',
    headers: { authorization: '[redacted]' },
    config: { JWT_SECRET: '[redacted]', DATABASE_URL: '[redacted]' },
  });
});
