/** docs/api.md#catalog: public reads with cursor paging, availability, admin inventory. */
import { useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { randomUUID } from 'node:crypto';
import { createProductCache } from '../../api/catalog/product-cache';
import { waitUntil } from '../support/wait';
import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../../api/app';
import { serveApp } from '../../api/serve-app';

const api = useApiHarness();

test('paging with limit and cursor visits every product exactly once, in sku order', async () => {
  for (let i = 0; i < 3; i++) await createTestProduct(api.deps.db);
  // Other test files add products meanwhile: every product that existed before paging must be seen.
  const before = (await api.deps.db.product.findMany({ select: { sku: true } })).map((p) => p.sku);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
    const res = await api.request('GET', `/v1/products${query}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(2);
    seen.push(...res.body.items.map((p: { sku: string }) => p.sku));
    cursor = res.body.nextCursor;
  } while (cursor);
  expect(seen).toEqual(expect.arrayContaining(before));
  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual(seen);
});

test('a product shows catalog price and available = on hand minus active reservations', async () => {
  const sku = await createTestProduct(api.deps.db, { onHand: 20, priceCents: 1234 });
  await createInventoryRepository(api.deps.db).reserveForOrder(
    randomUUID(),
    [{ sku, quantity: 5 }],
    new Date(Date.now() + 60_000),
  );

  const res = await api.request('GET', `/v1/products/${sku}`);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ sku, name: `Test product ${sku}`, priceCents: 1234, currency: 'USD', available: 15 });
  expect((await api.request('GET', '/v1/products/NO-SUCH-SKU')).body).toMatchObject({ status: 404, code: 'not_found' });
});

test.each([['limit=0'], ['limit=101'], ['limit=abc'], ['cursor=%%%'], ['cursor=bm90LWpzb24']])(
  'bad paging query %s is 400',
  async (q) => {
    const res = await api.request('GET', `/v1/products?${q}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  },
);

describe('PUT /v1/admin/inventory/:sku', () => {
  test('an admin sets on-hand stock and gets the product back', async () => {
    const admin = await api.userWithToken('admin');
    const sku = await createTestProduct(api.deps.db, { onHand: 3 });
    const res = await api.request('PUT', `/v1/admin/inventory/${sku}`, {
      token: admin.token,
      body: { onHand: 42, sku: 'IGNORED', priceCents: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sku, available: 42, priceCents: 1000 });
    expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 42, reserved: 0 });
  });

  test.each([[{ onHand: -1 }], [{ onHand: 1.5 }], [{ onHand: '7' }], [{}]])(
    'invalid body %j is 400 and changes nothing',
    async (body) => {
      const admin = await api.userWithToken('admin');
      const sku = await createTestProduct(api.deps.db, { onHand: 3 });
      const res = await api.request('PUT', `/v1/admin/inventory/${sku}`, { token: admin.token, body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 3, reserved: 0 });
    },
  );

  test('unknown sku is 404; below the reserved units is 409', async () => {
    const admin = await api.userWithToken('admin');
    expect(
      (await api.request('PUT', '/v1/admin/inventory/NOPE', { token: admin.token, body: { onHand: 1 } })).status,
    ).toBe(404);
    const sku = await createTestProduct(api.deps.db, { onHand: 10 });
    await createInventoryRepository(api.deps.db).reserveForOrder(
      randomUUID(),
      [{ sku, quantity: 4 }],
      new Date(Date.now() + 60_000),
    );
    const res = await api.request('PUT', `/v1/admin/inventory/${sku}`, { token: admin.token, body: { onHand: 3 } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('on_hand_below_reserved');
  });

  test('customers get 403 and anonymous callers 401', async () => {
    const customer = await api.userWithToken('customer');
    const sku = await createTestProduct(api.deps.db);
    expect(
      (await api.request('PUT', `/v1/admin/inventory/${sku}`, { token: customer.token, body: { onHand: 1 } })).status,
    ).toBe(403);
    expect((await api.request('PUT', `/v1/admin/inventory/${sku}`, { body: { onHand: 1 } })).status).toBe(401);
  });
});

test('product reads are cached in memory and in Redis for CATALOG_CACHE_TTL_MS, and an inventory change evicts at once', async () => {
  const sku = await createTestProduct(api.deps.db, { onHand: 10 });
  const key = `${api.deps.config.REDIS_KEY_PREFIX}catalog:product:${sku}`;
  expect((await api.request('GET', `/v1/products/${sku}`)).body.available).toBe(10);
  expect(JSON.parse((await api.deps.redis.get(key)) ?? 'null')).toMatchObject({ sku, available: 10 });
  const ttl = await api.deps.redis.pTTL(key);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(api.deps.config.CATALOG_CACHE_TTL_MS);
  // The process's memory tier answers without Redis: a stock change behind the cache's back (no
  // eviction) is not seen yet, even with the Redis entry gone.
  await api.deps.db.inventory.update({ where: { sku }, data: { onHand: 9 } });
  await api.deps.redis.del(key);
  expect((await api.request('GET', `/v1/products/${sku}`)).body.available).toBe(10);

  const admin = await api.userWithToken('admin');
  expect(
    (await api.request('PUT', `/v1/admin/inventory/${sku}`, { token: admin.token, body: { onHand: 3 } })).body
      .available,
  ).toBe(3);
  expect(await api.deps.redis.get(key)).toBeNull();
  expect((await api.request('GET', `/v1/products/${sku}`)).body.available).toBe(3);
});

test("an inventory change evicts the product from every API process's memory, not only its own", async () => {
  const sku = await createTestProduct(api.deps.db, { onHand: 10 });
  // Another API process: its own memory tier on the same Redis, with a TTL far beyond the test.
  const otherProcess = createProductCache(api.deps.redis, {
    keyPrefix: api.deps.config.REDIS_KEY_PREFIX,
    ttlMs: 600_000,
  });
  const channel = `${api.deps.config.REDIS_KEY_PREFIX}catalog:evictions`;
  const subscribers = async (): Promise<number> =>
    Number(((await api.deps.redis.sendCommand(['PUBSUB', 'NUMSUB', channel])) as [string, number])[1]);
  try {
    // This process's cache and the other one both listen before anything is evicted.
    await waitUntil(async () => ((await subscribers()) === 2 ? true : undefined), 'both caches to subscribe', {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    await otherProcess.set(sku, JSON.stringify({ sku, available: 10 }));
    await api.deps.redis.del(`${api.deps.config.REDIS_KEY_PREFIX}catalog:product:${sku}`);
    expect(await otherProcess.get(sku)).not.toBeNull();

    const admin = await api.userWithToken('admin');
    expect(
      (await api.request('PUT', `/v1/admin/inventory/${sku}`, { token: admin.token, body: { onHand: 4 } })).status,
    ).toBe(200);
    // The eviction travels by Redis pub/sub: delivered within moments, long before the TTL.
    await waitUntil(
      async () => ((await otherProcess.get(sku)) === null ? true : undefined),
      'the other process to drop the product',
      { timeoutMs: 5_000, intervalMs: 20 },
    );
  } finally {
    await otherProcess.close();
  }
});

test('a cached product read is the same answer as a miss, headers included', async () => {
  const sku = await createTestProduct(api.deps.db, { onHand: 3 });
  // The first read misses (Redis, then the database) and fills the memory tier; the next two are
  // memory hits, one with a query string the route ignores.
  const miss = await api.request('GET', `/v1/products/${sku}`);
  const hit = await api.request('GET', `/v1/products/${sku}`, { headers: { 'X-Request-Id': 'cached-read-1' } });
  const routed = await api.request('GET', `/v1/products/${sku}?via=router`);
  expect(api.deps.productCache.peek(sku)).toBeDefined();
  const headersOf = (res: typeof hit) =>
    Object.fromEntries([...res.headers].filter(([name]) => !['date', 'x-request-id'].includes(name)));
  for (const res of [miss, hit, routed]) {
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sku,
      name: expect.any(String),
      priceCents: expect.any(Number),
      currency: 'USD',
      available: 3,
    });
    expect(headersOf(res)).toEqual(headersOf(routed));
  }
  expect(headersOf(hit)).toMatchObject({
    'content-type': 'application/json',
    vary: 'Origin',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  });
  expect(hit.headers.get('x-request-id')).toBe('cached-read-1');
  expect(miss.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  // Cross-origin reads get cors()'s headers, hit or not.
  const cors = await api.request('GET', `/v1/products/${sku}`, { headers: { Origin: 'https://evil.example' } });
  expect(cors.status).toBe(200);
  expect(cors.body).toEqual(hit.body);
});

test('a middleware added with app.use() sees the catalog reads answered from the cache', async () => {
  // Served as the API process serves its app (api/serve-app.ts): nothing may answer before the chain.
  const sku = await createTestProduct(api.deps.db, { onHand: 3, priceCents: 500 });
  const seen: string[] = [];
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    seen.push(`${c.req.path} ${c.res.status}`);
    c.header('X-Added-Layer', 'ran');
  });
  app.route('/', createApp(api.deps));
  const server: ServerType = await new Promise((resolve) => {
    const s = serveApp(app, { port: 0, hostname: '127.0.0.1', requestTimeoutMs: 5_000 }, () => resolve(s));
  });
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/products/${sku}`;
    const miss = await fetch(url);
    expect(await miss.json()).toMatchObject({ sku, priceCents: 500 });
    // Changed behind the cache's back (no eviction): only a cache hit still answers the old price.
    await api.deps.db.product.update({ where: { sku }, data: { priceCents: 700 } });
    const hit = await fetch(url, { headers: { 'X-Request-Id': 'cached-hit-2' } });
    expect(hit.status).toBe(200);
    expect(await hit.json()).toMatchObject({ sku, priceCents: 500 });
    expect(hit.headers.get('x-added-layer')).toBe('ran');
    expect(hit.headers.get('x-request-id')).toBe('cached-hit-2');
    expect(seen).toEqual([`/v1/products/${sku} 200`, `/v1/products/${sku} 200`]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
