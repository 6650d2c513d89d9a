/**
 * Carts under load, with autocannon as the catalog phase: `POST /v1/carts/:id/items` (add to
 * cart) and `GET /v1/carts/:id` (cart read) with 50 connections, against the bare route of the same
 * API process, taking turns over rounds (./take-turns.ts), medians reported.
 *
 * The load is signed-in shoppers filling baskets: ACTIVE shoppers at a time, each adding one unit
 * of BASKET different products, then leaving for a new shopper with a new cart. Request n goes to
 * active shopper n mod ACTIVE, so the 50 requests in flight are always on 50 different carts (no
 * cart's row lock or 100-line limit is what is measured), and every cart gets the same basket
 * whatever rate the machine reaches. Signed-in on purpose: a customer's cart is the one with an
 * abandoned-cart timer (api/carts/cart-reminders.ts), which its first line starts, so that Temporal
 * work is in the figure; a guest cart has none. Reads go round the carts filled so far.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import type { BenchTarget } from '../tooling/stack-target';
import { createCatalogRepository } from '../prisma/repositories/catalog';
import { createBenchCustomers, type TokenSigning } from '../tooling/bench-customers';
import { throughputFiguresOf } from './catalog-load';
import { takeTurns } from './take-turns';

/** Shoppers filling their baskets at the same time. */
export const ACTIVE = 500;
/** Products in one basket (distinct lines of one unit each). */
export const BASKET = 10;
/** Carts made ready; a run that needs more goes round them again (their lines then grow). */
export const CARTS = 6000;

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
  /** Carts that got at least one add. */
  carts: number;
  activeShoppers: number;
  basket: number;
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
  customerId: string;
  token: string;
}

type Request = autocannon.Request;

/** Makes `count` customers with an empty open cart each (written straight to the database: thousands are needed). */
async function makeShoppers(stack: BenchTarget, signing: TokenSigning, count: number): Promise<Shopper[]> {
  const customers = await createBenchCustomers(stack.db, signing, count, 'cart');
  const shoppers = customers.map((c) => ({ cartId: randomUUID(), customerId: c.id, token: c.token }));
  await stack.db.cart.createMany({ data: shoppers.map((s) => ({ id: s.cartId, customerId: s.customerId })) });
  return shoppers;
}

/** One autocannon run for `seconds`, or for `{ amount }` requests. */
export async function run(
  url: string,
  connections: number,
  seconds: number | { amount: number },
  next?: (request: Request) => Request,
): Promise<Omit<CartRouteFigures, 'rounds'> & { status200: number }> {
  const result = await autocannon({
    url,
    connections,
    ...(typeof seconds === 'number' ? { duration: seconds } : seconds),
    ...(next ? { requests: [{ setupRequest: next }] } : {}),
  });
  return { ...throughputFiguresOf(result), status200: result['2xx'] };
}

/** The shoppers' requests, ready for autocannon's `setupRequest`. */
export interface Shopping {
  add(request: Request): Request;
  read(request: Request): Request;
  /** Adds handed out so far. */
  adds(): number;
  /** Carts that got at least one add. */
  touched(): number;
  cartIds: string[];
}

/** Makes the basket's products and the shoppers, and the requests that fill the carts. */
export async function prepareShopping(stack: BenchTarget, signing: TokenSigning): Promise<Shopping> {
  const stamp = Date.now();
  const skus = Array.from({ length: BASKET }, (_, i) => `CART-${stamp}-${String(i).padStart(2, '0')}`);
  const catalog = createCatalogRepository(stack.db);
  for (const sku of skus)
    await catalog.upsertProduct({ sku, name: sku, priceCents: 1000, currency: 'USD', initialOnHand: 1_000_000 });
  const shoppers = await makeShoppers(stack, signing, CARTS);

  let adds = 0;
  let reads = 0;
  const touched = (): number => Math.min(shoppers.length, Math.ceil(adds / (ACTIVE * BASKET)) * ACTIVE);
  // The n-th add: active shopper n mod ACTIVE, in their `round`-th basket, adding its `item`-th product.
  const shopperOf = (n: number): { shopper: Shopper; item: number } => {
    const item = Math.floor(n / ACTIVE) % BASKET;
    const basketRound = Math.floor(n / (ACTIVE * BASKET));
    return { shopper: shoppers[(basketRound * ACTIVE + (n % ACTIVE)) % shoppers.length]!, item };
  };
  return {
    add(request) {
      const { shopper, item } = shopperOf(adds++);
      return {
        ...request,
        method: 'POST',
        path: `/v1/carts/${shopper.cartId}/items`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper.token}` },
        body: JSON.stringify({ sku: skus[item], quantity: 1 }),
      };
    },
    read(request) {
      const shopper = shoppers[reads++ % Math.max(1, touched())]!;
      return {
        ...request,
        method: 'GET',
        path: `/v1/carts/${shopper.cartId}`,
        headers: { authorization: `Bearer ${shopper.token}` },
      };
    },
    adds: () => adds,
    touched,
    cartIds: shoppers.map((s) => s.cartId),
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
  const shopping = await prepareShopping(stack, options.signing);
  const add = (request: Request): Request => shopping.add(request);
  const read = (request: Request): Request => shopping.read(request);
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
  const lines = await stack.db.cartLine.aggregate({
    where: { cartId: { in: shopping.cartIds } },
    _count: { _all: true },
    _sum: { quantity: true },
  });
  const ratioTo = (f: CartRouteFigures): number | null =>
    bareFigures ? Math.round((f.reqPerSec / bareFigures.reqPerSec) * 1000) / 1000 : null;
  return {
    connections: options.connections,
    carts: shopping.touched(),
    activeShoppers: ACTIVE,
    basket: BASKET,
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
    books: { lines: lines._count._all, units: lines._sum.quantity ?? 0, addsAnswered200, addsSent: shopping.adds() },
  };
}
