/**
 * Carts under load, with autocannon as the catalog phase: `POST /v1/carts/:id/items` (add to
 * cart) and `GET /v1/carts/:id` (cart read) with 50 connections, against the bare route of the same
 * API process, taking turns over rounds (./take-turns.ts), medians reported.
 *
 * The load is many signed-in shoppers, each with their own cart, adding a few products: request n
 * goes to cart n mod CARTS and adds one unit of product (n / CARTS) mod SKUS. Signed-in on purpose:
 * a customer's cart is the one with an abandoned-cart timer (api/carts/cart-reminders.ts), which
 * every change tells, so its Temporal work is part of the figure; a guest cart has none. Spread
 * over many carts so no cart's row lock or 100-line limit is what is measured: with 50 requests in
 * flight over 2000 carts two rarely meet on one cart, and a cart ends a run with at most SKUS
 * lines of a few units each, as a real basket does.
 */
import autocannon from 'autocannon';
import type { BenchTarget } from '../tooling/stack-target';
import { createCatalogRepository } from '../prisma/repositories/catalog';
import { createBenchCustomers, type TokenSigning } from './bench-customers';
import { round } from './open-loop';
import { takeTurns } from './take-turns';

export const CARTS = 2000;
export const SKUS = 20;

export interface CartRouteFigures {
  /** Requests per second of every round, in order. */
  rounds: number[];
  reqPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface CartFigures {
  connections: number;
  carts: number;
  skus: number;
  secondsPerRound: number;
  addReqPerSec: number;
  addP99Ms: number;
  readReqPerSec: number;
  readP99Ms: number;
  add: CartRouteFigures;
  read: CartRouteFigures;
  /** GET /bench/bare in the same rounds; null when the API does not serve it. */
  bare: CartRouteFigures | null;
  /** add / bare and read / bare req/s. */
  addVsBare: number | null;
  readVsBare: number | null;
  /**
   * Lines and units in the bench carts afterwards, from the database, against the adds (one unit
   * each) answered 200 and sent: an add answered 200 must be there, and none may count twice.
   */
  books: { lines: number; units: number; addsAnswered200: number; addsSent: number };
}

interface Shopper {
  cartId: string;
  token: string;
}

type Request = autocannon.Request;

/** Makes `count` customers and their open carts (POST /v1/carts with their token). */
async function makeShoppers(stack: BenchTarget, signing: TokenSigning, count: number): Promise<Shopper[]> {
  const customers = await createBenchCustomers(stack.db, signing, count, 'cart');
  const shoppers: Shopper[] = [];
  for (let i = 0; i < customers.length; i += 50) {
    const batch = customers.slice(i, i + 50);
    shoppers.push(
      ...(await Promise.all(
        batch.map(async ({ token }) => {
          const res = await fetch(`${stack.baseUrl}/v1/carts`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}` },
          });
          if (res.status !== 201) throw new Error(`cart creation failed: ${res.status} ${await res.text()}`);
          return { cartId: ((await res.json()) as { id: string }).id, token };
        }),
      )),
    );
  }
  return shoppers;
}

async function run(
  url: string,
  connections: number,
  seconds: number,
  next?: (request: Request) => Request,
): Promise<Omit<CartRouteFigures, 'rounds'> & { status200: number }> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(next ? { requests: [{ setupRequest: next }] } : {}),
  });
  return {
    reqPerSec: round(result.requests.average),
    latencyP50Ms: round(result.latency.p50),
    latencyP99Ms: round(result.latency.p99),
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    status200: result['2xx'],
  };
}

export async function measureCarts(
  stack: BenchTarget,
  options: {
    signing: TokenSigning;
    connections: number;
    secondsPerRound: number;
    rounds: number;
    bare: boolean;
  },
): Promise<CartFigures> {
  const stamp = Date.now();
  const skus = Array.from({ length: SKUS }, (_, i) => `CART-${stamp}-${String(i).padStart(2, '0')}`);
  const catalog = createCatalogRepository(stack.db);
  for (const sku of skus)
    await catalog.upsertProduct({ sku, name: sku, priceCents: 1000, currency: 'USD', initialOnHand: 1_000_000 });
  const shoppers = await makeShoppers(stack, options.signing, CARTS);

  let adds = 0;
  const add = (request: Request): Request => {
    const n = adds++;
    const shopper = shoppers[n % shoppers.length]!;
    return {
      ...request,
      method: 'POST',
      path: `/v1/carts/${shopper.cartId}/items`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper.token}` },
      body: JSON.stringify({ sku: skus[Math.floor(n / shoppers.length) % skus.length], quantity: 1 }),
    };
  };
  let reads = 0;
  const read = (request: Request): Request => {
    const shopper = shoppers[reads++ % shoppers.length]!;
    return {
      ...request,
      method: 'GET',
      path: `/v1/carts/${shopper.cartId}`,
      headers: { authorization: `Bearer ${shopper.token}` },
    };
  };
  let addsAnswered200 = 0;
  const routes: Record<string, () => ReturnType<typeof run>> = {
    add: async () => {
      const figures = await run(`${stack.baseUrl}/`, options.connections, options.secondsPerRound, add);
      addsAnswered200 += figures.status200;
      return figures;
    },
    read: () => run(`${stack.baseUrl}/`, options.connections, options.secondsPerRound, read),
    ...(options.bare
      ? { bare: () => run(`${stack.baseUrl}/bench/bare`, options.connections, options.secondsPerRound) }
      : {}),
  };
  // Warmed first (JIT, pools, the carts' reminder workflows started), then measured in turns.
  for (const measure of Object.values(routes)) await measure();
  const runs = await takeTurns(routes, options.rounds, (measure) => measure());

  const median = (figures: Awaited<ReturnType<typeof run>>[]): CartRouteFigures => {
    const sorted = [...figures].sort((a, b) => a.reqPerSec - b.reqPerSec);
    const { status200: _status200, ...mid } = sorted[Math.floor(sorted.length / 2)]!;
    return { ...mid, rounds: figures.map((f) => f.reqPerSec) };
  };
  const addFigures = median(runs.add!);
  const readFigures = median(runs.read!);
  const bareFigures = runs.bare ? median(runs.bare) : null;
  const cartIds = shoppers.map((s) => s.cartId);
  const lines = await stack.db.cartLine.aggregate({
    where: { cartId: { in: cartIds } },
    _count: { _all: true },
    _sum: { quantity: true },
  });
  const ratioTo = (f: CartRouteFigures): number | null =>
    bareFigures ? Math.round((f.reqPerSec / bareFigures.reqPerSec) * 1000) / 1000 : null;
  return {
    connections: options.connections,
    carts: shoppers.length,
    skus: skus.length,
    secondsPerRound: options.secondsPerRound,
    addReqPerSec: addFigures.reqPerSec,
    addP99Ms: addFigures.latencyP99Ms,
    readReqPerSec: readFigures.reqPerSec,
    readP99Ms: readFigures.latencyP99Ms,
    add: addFigures,
    read: readFigures,
    bare: bareFigures,
    addVsBare: ratioTo(addFigures),
    readVsBare: ratioTo(readFigures),
    books: { lines: lines._count._all, units: lines._sum.quantity ?? 0, addsAnswered200, addsSent: adds },
  };
}
