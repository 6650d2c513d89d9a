/** docs/api.md#authentication-and-roles: tokens, every way a token can be bad, roles, and login rate limits (real Redis). */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createUserRepository } from '../../prisma/repositories/users';
import { startApiHarness, useApiHarness, type ApiHarness, type ApiResponse } from '../support/api-harness';
import { createTestUser } from '../support/fixtures';

const api = useApiHarness();

function expectProblem(res: ApiResponse<{ title?: unknown; type?: unknown }>, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.type).toBe('string');
}

test('right credentials give a short-lived HS256 bearer token with iss, aud, sub and role', async () => {
  const user = await createTestUser(api.deps.db, 'support');
  const res = await api.request('POST', '/v1/auth/token', {
    body: { email: user.email.toUpperCase(), password: user.password },
  });

  expect(res.status).toBe(200);
  expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
  const header = jwt.decode(res.body.accessToken, { complete: true })?.header;
  const claims = jwt.decode(res.body.accessToken) as jwt.JwtPayload;
  expect(header?.alg).toBe('HS256');
  expect(header?.typ).toBe('at+jwt');
  expect(claims.ver).toEqual(expect.any(Number));
  expect(claims).toMatchObject({
    sub: user.id,
    role: 'support',
    iss: 'temporal-commerce',
    aud: 'temporal-commerce-api',
  });
  expect(claims.exp! - claims.iat!).toBe(900);
});

test('wrong password and unknown email are both 401 invalid_credentials', async () => {
  const user = await createTestUser(api.deps.db);
  expectProblem(
    await api.request('POST', '/v1/auth/token', { body: { email: user.email, password: 'nope' } }),
    401,
    'invalid_credentials',
  );
  expectProblem(
    await api.request('POST', '/v1/auth/token', { body: { email: 'ghost@test.example', password: 'x' } }),
    401,
    'invalid_credentials',
  );
});

test('malformed login bodies are 400 validation_failed', async () => {
  expectProblem(
    await api.request('POST', '/v1/auth/token', { body: { email: 'a@b.example' } }),
    400,
    'validation_failed',
  );
  expectProblem(
    await api.request('POST', '/v1/auth/token', { body: { email: 42, password: 'x' } }),
    400,
    'validation_failed',
  );
  expectProblem(
    await api.request('POST', '/v1/auth/token', {
      rawBody: '{"email":',
      headers: { 'Content-Type': 'application/json' },
    }),
    400,
    'validation_failed',
  );
});

describe('protected routes refuse bad tokens with 401 unauthorized', () => {
  let user: Awaited<ReturnType<ApiHarness['userWithToken']>>;
  const secret = () => api.deps.config.JWT_SECRET;
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (
    claims: Record<string, unknown> = {},
    key: string = secret(),
    options: { typ?: string; noTimestamp?: boolean; omit?: string[] } = {},
  ) => {
    const payload: Record<string, unknown> = {
      role: 'customer',
      ver: 0,
      sub: user.id,
      iss: 'temporal-commerce',
      aud: 'temporal-commerce-api',
      exp: now() + 60,
      ...claims,
    };
    for (const claim of options.omit ?? []) delete payload[claim];
    return jwt.sign(payload, key, {
      algorithm: 'HS256',
      header: { alg: 'HS256', typ: options.typ ?? 'at+jwt' },
      ...(options.noTimestamp ? { noTimestamp: true } : {}),
    });
  };
  beforeAll(async () => {
    user = await api.userWithToken('customer');
  });

  test('a valid token is accepted (the control case)', async () => {
    expect((await api.request('GET', '/v1/orders', { token: user.token })).status).toBe(200);
    expect((await api.request('GET', '/v1/orders', { token: sign({}) })).status).toBe(200);
  });

  const cases: [string, () => Record<string, string>][] = [
    ['missing Authorization header', () => ({})],
    ['not a bearer scheme', () => ({ Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
    ['garbage token', () => ({ Authorization: 'Bearer not.a.jwt' })],
    ['expired', () => ({ Authorization: `Bearer ${sign({ exp: Math.floor(Date.now() / 1000) - 10 })}` })],
    [
      'signed with another secret',
      () => ({ Authorization: `Bearer ${sign({}, 'another-secret-that-is-long-enough-0000')}` }),
    ],
    ['wrong audience', () => ({ Authorization: `Bearer ${sign({ aud: 'someone-else' })}` })],
    ['wrong issuer', () => ({ Authorization: `Bearer ${sign({ iss: 'evil' })}` })],
    // RFC 8725: exp and iat are required, the age is bounded, the typ is checked.
    ['no exp', () => ({ Authorization: `Bearer ${sign({}, secret(), { omit: ['exp'] })}` })],
    ['no iat', () => ({ Authorization: `Bearer ${sign({}, secret(), { noTimestamp: true })}` })],
    [
      'too old (issued two hours ago, exp far ahead)',
      () => ({ Authorization: `Bearer ${sign({ iat: now() - 7200, exp: now() + 7200 })}` }),
    ],
    ['issued in the future', () => ({ Authorization: `Bearer ${sign({ iat: now() + 3600, exp: now() + 7200 })}` })],
    ['typ JWT instead of at+jwt', () => ({ Authorization: `Bearer ${sign({}, secret(), { typ: 'JWT' })}` })],
    ['typ of another kind of token', () => ({ Authorization: `Bearer ${sign({}, secret(), { typ: 'id+jwt' })}` })],
    ['no ver', () => ({ Authorization: `Bearer ${sign({}, secret(), { omit: ['ver'] })}` })],
    ["a ver other than the user's", () => ({ Authorization: `Bearer ${sign({ ver: 7 })}` })],
    [
      "a role other than the user's (signed, e.g. before a demotion)",
      () => ({ Authorization: `Bearer ${sign({ role: 'admin' })}` }),
    ],
    ['a subject that is no user', () => ({ Authorization: `Bearer ${sign({ sub: randomUUID() })}` })],
    [
      'tampered payload (role raised to admin, signature kept)',
      () => {
        const [h, , s] = user.token.split('.');
        const payload = { ...(jwt.decode(user.token) as object), role: 'admin' };
        return { Authorization: `Bearer ${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}` };
      },
    ],
    [
      'alg none',
      () => {
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        const payload = Buffer.from(JSON.stringify(jwt.decode(user.token))).toString('base64url');
        return { Authorization: `Bearer ${header}.${payload}.` };
      },
    ],
  ];

  test.each(cases)('%s', async (_name, headers) => {
    expectProblem(await api.request('GET', '/v1/orders', { headers: headers() }), 401, 'unauthorized');
  });
});

describe("a role change or a deletion ends the user's tokens at once", () => {
  test('after changeRole the old token is 401, a new login works with the new role', async () => {
    const admin = await api.userWithToken('admin');
    expect((await api.request('GET', '/v1/admin/audit', { token: admin.token })).status).toBe(200);
    expect(await createUserRepository(api.deps.db).changeRole(admin.id, 'customer')).toBe(true);

    expectProblem(await api.request('GET', '/v1/admin/audit', { token: admin.token }), 401, 'unauthorized');
    expectProblem(await api.request('GET', '/v1/orders', { token: admin.token }), 401, 'unauthorized');
    const fresh = await api.login(admin);
    expect((jwt.decode(fresh) as jwt.JwtPayload).role).toBe('customer');
    expect((await api.request('GET', '/v1/orders', { token: fresh })).status).toBe(200);
    expectProblem(await api.request('GET', '/v1/admin/audit', { token: fresh }), 403, 'forbidden');
  });

  test('after deleteUser the old token is 401', async () => {
    const customer = await api.userWithToken('customer');
    expect((await api.request('GET', '/v1/orders', { token: customer.token })).status).toBe(200);
    expect(await createUserRepository(api.deps.db).deleteUser(customer.id)).toBe(true);
    expectProblem(await api.request('GET', '/v1/orders', { token: customer.token }), 401, 'unauthorized');
    // Carts take an optional principal: a deleted user's token is 401 there too, never a guest.
    expectProblem(await api.request('POST', '/v1/carts', { token: customer.token, body: {} }), 401, 'unauthorized');
  });
});

describe('POST /v1/auth/logout', () => {
  test('answers 204 and the signed-out token is 401 from then on, on orders and carts alike', async () => {
    const customer = await api.userWithToken('customer');
    expect((await api.request('GET', '/v1/orders', { token: customer.token })).status).toBe(200);

    const out = await api.request('POST', '/v1/auth/logout', { token: customer.token, body: {} });
    expect(out.status).toBe(204);
    expectProblem(await api.request('GET', '/v1/orders', { token: customer.token }), 401, 'unauthorized');
    expectProblem(await api.request('POST', '/v1/carts', { token: customer.token, body: {} }), 401, 'unauthorized');
    expectProblem(await api.request('POST', '/v1/auth/logout', { token: customer.token }), 401, 'unauthorized');
    // Signing in again works.
    const fresh = await api.login(customer);
    expect((await api.request('GET', '/v1/orders', { token: fresh })).status).toBe(200);
  });

  test('needs a token (401) and refuses a malformed body (400)', async () => {
    expectProblem(await api.request('POST', '/v1/auth/logout', { body: {} }), 401, 'unauthorized');
    const customer = await api.userWithToken('customer');
    expectProblem(
      await api.request('POST', '/v1/auth/logout', { token: customer.token, body: { everywhere: 'yes' } }),
      400,
      'validation_failed',
    );
    expect((await api.request('GET', '/v1/orders', { token: customer.token })).status).toBe(200);
  });
});

test('an authenticated user of the wrong role gets 403 forbidden', async () => {
  const customer = await api.userWithToken('customer');
  expectProblem(
    await api.request('PUT', '/v1/admin/inventory/ANY', { token: customer.token, body: { onHand: 1 } }),
    403,
    'forbidden',
  );
  const support = await api.userWithToken('support');
  expectProblem(
    await api.request('POST', '/v1/checkouts', { token: support.token, body: {}, headers: { 'Idempotency-Key': 'k' } }),
    403,
    'forbidden',
  );
});

test('after 10 failures for one email, the 11th attempt is 429 with Retry-After even with the right password', async () => {
  const user = await createTestUser(api.deps.db);
  for (let i = 0; i < 10; i++) {
    expectProblem(
      await api.request('POST', '/v1/auth/token', { body: { email: user.email, password: `wrong-${i}` } }),
      401,
      'invalid_credentials',
    );
  }
  const limited = await api.request('POST', '/v1/auth/token', { body: { email: user.email, password: user.password } });
  expectProblem(limited, 429, 'rate_limited');
  const retryAfter = Number(limited.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(300);
  // Another account from the same client is not affected by this email's counter.
  const other = await createTestUser(api.deps.db);
  expect(
    (await api.request('POST', '/v1/auth/token', { body: { email: other.email, password: other.password } })).status,
  ).toBe(200);
});

test('after 100 failures from one client address, any email from it is 429', async () => {
  const own = await startApiHarness(); // its own Redis key prefix: this test blocks the whole client
  try {
    const victim = await createTestUser(own.deps.db);
    for (let i = 0; i < 100; i++) {
      const res = await own.request('POST', '/v1/auth/token', {
        body: { email: `spray-${i}@test.example`, password: 'x' },
      });
      expect(res.status).toBe(401);
    }
    const res = await own.request('POST', '/v1/auth/token', {
      body: { email: victim.email, password: victim.password },
    });
    expectProblem(res, 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  } finally {
    await own.close();
  }
});
