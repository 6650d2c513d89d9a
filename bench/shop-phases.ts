/**
 * The two shop-shaped phases of `npm run bench`, after the checkout/baseline phases: the flash sale
 * (./flash-sale.ts) and the carts (./cart-load.ts), with their options, and BENCH_PHASES, which
 * picks the phases of a run: `core` (everything before them), `flash`, `cart`; default all three.
 * A run without `core` is a development run of the new phases: it writes its figures next to the
 * reference results (bench/phases-results.json and .svg), never over them.
 */
import type { BenchEnv } from './bench-env';
import { measureCarts, type CartFigures } from './cart-load';
import type { TokenSigning } from '../tooling/bench-customers';
import { flashSaleBroken, measureFlashSale, type FlashSaleFigures } from './flash-sale';
import type { BenchTarget } from '../tooling/stack-target';

export const PHASE_NAMES = ['core', 'flash', 'cart'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

export function selectedPhases(value: string | undefined): ReadonlySet<PhaseName> {
  if (value === undefined || value.trim() === '') return new Set(PHASE_NAMES);
  const names = value.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(PHASE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`BENCH_PHASES: unknown phase(s) ${unknown.join(', ')}; known: ${PHASE_NAMES.join(', ')}`);
  return new Set(names as PhaseName[]);
}

export interface ShopPhaseOptions {
  phases: ReadonlySet<PhaseName>;
  env: BenchEnv;
  signing: TokenSigning;
  databaseUrl: string;
  stallMs: number;
  connections: number;
  bare: boolean;
  /** Called before each phase: an empty dev server (./phase-start.ts), and the RSS series' phase mark. */
  beforePhase: (name: string) => Promise<void>;
  log: (line: string) => void;
}

export interface ShopPhaseResults {
  flashSale: FlashSaleFigures | null;
  cart: CartFigures | null;
  /** What broke the rules (the bench exits 1 when this is not empty). */
  broken: string[];
}

export async function runShopPhases(stack: BenchTarget, o: ShopPhaseOptions): Promise<ShopPhaseResults> {
  const env = o.env;
  const broken: string[] = [];
  let flashSale: FlashSaleFigures | null = null;
  if (o.phases.has('flash')) {
    await o.beforePhase('flash sale');
    const units = env.BENCH_FLASH_UNITS;
    const customers = env.BENCH_FLASH_CUSTOMERS;
    const offeredPerSec = env.BENCH_FLASH_RATE;
    o.log(`flash sale: ${units} units, ${customers} customers at ${offeredPerSec}/s`);
    flashSale = await measureFlashSale(stack, {
      units,
      customers,
      offeredPerSec,
      stallMs: o.stallMs,
      databaseUrl: o.databaseUrl,
      signing: o.signing,
    });
    const f = flashSale;
    o.log(
      `  paid ${f.paid}, out of stock ${f.outOfStock}, oversold ${f.oversold}; answer p50 ${f.answerMs.p50} ms, p99 ${f.answerMs.p99} ms; sold out after ${f.sellOutSeconds} s, every loser FAILED after ${f.allLosersFailedSeconds} s`,
    );
    o.log(
      `  database: lock waits in ${Math.round(f.database.lockWaitShare * 100)}% of samples (max ${f.database.lockWaitingMax} waiting), reservation statements in flight max ${f.database.reservingMax}, longest seen ${f.database.reservationMsMax} ms`,
    );
    broken.push(...flashSaleBroken(f).map((b) => `flash sale: ${b}`));
  }
  let cart: CartFigures | null = null;
  if (o.phases.has('cart')) {
    await o.beforePhase('carts');
    const secondsPerRound = env.BENCH_CART_SECONDS;
    const rounds = env.BENCH_CART_ROUNDS;
    o.log(`carts: ${o.connections} connections, ${rounds} rounds of ${secondsPerRound} s per route, taking turns`);
    cart = await measureCarts(stack, {
      signing: o.signing,
      connections: o.connections,
      secondsPerRound,
      rounds,
      bare: o.bare,
    });
    o.log(
      `  add ${cart.add.rounds.join(', ')} req/s (p99 ${cart.addP99Ms} ms); read ${cart.read.rounds.join(', ')} req/s (p99 ${cart.readP99Ms} ms); bare ${cart.bare ? cart.bare.rounds.join(', ') : 'n/a'} req/s`,
    );
    const b = cart.books;
    if (b.units < b.addsAnswered200 || b.units > b.addsSent)
      broken.push(
        `carts: ${b.units} units in the carts after ${b.addsAnswered200} adds answered 200 of ${b.addsSent} sent`,
      );
  }
  return { flashSale, cart, broken };
}
