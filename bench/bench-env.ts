/**
 * Every knob of the bench tools (bench/README.md "Options"), parsed with zod and parseEnv as the
 * processes parse theirs (platform/env.ts): one schema, so a variable two tools read has one
 * default, and a bad value stops the tool with the variable's name instead of measuring NaN.
 */
import { z } from 'zod';
import { parseEnv } from '../platform/env';
import { stackEnvSchema } from '../tooling/stack-env';

const count = z.coerce.number().int().min(1);
const seconds = z.coerce.number().positive();
const numberList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const values = v.split(',').map(Number);
      if (values.some((n) => !Number.isFinite(n) || n < 0)) {
        ctx.addIssue({ code: 'custom', message: 'must be comma-separated numbers' });
        return z.NEVER;
      }
      return values;
    });
/** A JSON object of variables (`'{"DATABASE_POOL_SIZE":"4"}'`) handed to the stack's processes. */
const variables = z
  .string()
  .optional()
  .transform((v, ctx): Record<string, string> => {
    if (v === undefined) return {};
    let json: unknown;
    try {
      json = JSON.parse(v);
    } catch {
      json = undefined;
    }
    const parsed = z.record(z.string(), z.string()).safeParse(json);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of string values' });
    return z.NEVER;
  });

export const benchEnvSchema = z.object({
  BENCH_RATES: numberList('10,20,50'),
  BENCH_SECONDS: seconds.default(20),
  BENCH_SUSTAIN_SECONDS: seconds.default(60),
  BENCH_OFFERED_RATE: z.coerce.number().positive().default(30),
  BENCH_CONCURRENCY: count.default(50),
  BENCH_CAPACITY_SECONDS: seconds.default(30),
  BENCH_CAPACITY_ROUNDS: count.default(2),
  BENCH_CATALOG_SECONDS: seconds.default(5),
  BENCH_CATALOG_ROUNDS: count.default(3),
  BENCH_WORKER_ENV: variables,
  /** CPU niceness of the bench's workers: `npm start`'s WORKER_NICE default. */
  BENCH_WORKER_NICE: stackEnvSchema.shape.WORKER_NICE,
  BENCH_PHASES: z.string().optional(),
  BENCH_FLASH_UNITS: count.default(100),
  BENCH_FLASH_CUSTOMERS: count.default(1000),
  BENCH_FLASH_RATE: z.coerce.number().positive().default(100),
  BENCH_CART_SECONDS: seconds.default(5),
  BENCH_CART_ROUNDS: count.default(3),
  BENCH_API_URL: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** bench:cpu-split */
  BENCH_RATE: z.coerce.number().positive().default(10),
  BENCH_SHAPE: z.enum(['checkout', 'baseline']).default('checkout'),
  BENCH_LOG: z.string().min(1).optional(),
  /** bench:cart-cpu */
  BENCH_CART_ADDS: count.default(4000),
  BENCH_API_ENV: variables,
  /** bench:idle-carts and bench:sticky-cache */
  CARTS: count.default(1000),
  WORKFLOWS: count.default(500),
  CHANGES: count.default(3),
  IDLE_WINDOW_MS: z.coerce.number().int().min(1000).default(20_000),
  CACHE_SIZES: numberList('0,250,500,1000'),
  /** Set by bench:sticky-cache for the child that measures one cache size. */
  STICKY_CACHE_SIZE: z.coerce.number().int().min(0).optional(),
});

export type BenchEnv = z.infer<typeof benchEnvSchema>;

export function loadBenchEnv(env: NodeJS.ProcessEnv = process.env): BenchEnv {
  return parseEnv(benchEnvSchema, env);
}
