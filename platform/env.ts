/**
 * The environment every process of the platform reads the same way (database, Temporal, logging,
 * metrics, shutdown), and the parser each process's configuration uses.
 */
import { z } from 'zod';
import { temporalTlsEnvShape } from './temporal-connection';

const DEV_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/commerce';

export const sharedEnvShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().url().default(DEV_DATABASE_URL),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('commerce'),
  /** TLS / mTLS / API key of every Temporal connection (platform/temporal-connection.ts). */
  ...temporalTlsEnvShape,
  /** pino level of the JSON logs on stdout. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Port of the Prometheus `/metrics` endpoint (0: no endpoint). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Milliseconds SIGTERM waits for in-flight work before the process gives up and exits. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * Quiet hours after which a customer's cart with lines gets its one cart_reminder email. The API
   * starts the timer on cart changes; the worker restarts it when a failed order gives lines back.
   */
  /**
   * Orders one customer may have waiting for a 3-D Secure confirmation, each holding its stock for
   * up to 30 minutes (docs/api.md#limits-and-money-rules). The API refuses the next checkout with 409
   * too_many_unpaid_orders; the checkout workflow enforces it under a lock, for racing checkouts.
   */
  MAX_UNPAID_ORDERS_PER_CUSTOMER: z.coerce.number().int().min(1).max(1000).default(3),
  CART_REMINDER_AFTER_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
  /**
   * The payment provider and carrier of the deployment, one setting the API and every worker read,
   * so they cannot disagree (see `providersOf` for the default). `simulated`: the workers charge and
   * ship through the bundled simulators (activities/adapters/simulated-*), and the API also plays
   * the simulated bank (the /sim/3ds pages). `external`: a real provider and carrier, whose own
   * pages and webhooks take those parts; this build has no adapter for one, so `refineProviders`
   * refuses it rather than let a process simulate in its place.
   */
  PROVIDERS: z.enum(['simulated', 'external']).optional(),
};

export type Providers = 'simulated' | 'external';

/** PROVIDERS, or its default: simulated everywhere but production, which must name its own. */
export function providersOf(env: { NODE_ENV: string; PROVIDERS?: Providers | undefined }): Providers {
  return env.PROVIDERS ?? (env.NODE_ENV === 'production' ? 'external' : 'simulated');
}

/**
 * Why a process refuses `external` providers: no adapter for a real payment provider or carrier
 * exists yet (activities/adapters/ holds the simulators only).
 */
export const NO_EXTERNAL_PROVIDERS =
  'external (the production default) needs adapters for a real payment provider and carrier, which this build ' +
  'does not have; set PROVIDERS=simulated to run the bundled simulators';

/** Refuses a configuration whose providers (`providersOf`) this build cannot serve. */
export function refineProviders(
  env: { NODE_ENV: string; PROVIDERS?: Providers | undefined },
  ctx: z.RefinementCtx,
): void {
  if (providersOf(env) === 'external')
    ctx.addIssue({ code: 'custom', path: ['PROVIDERS'], message: NO_EXTERNAL_PROVIDERS });
}

/**
 * Parses `env`, or throws an error with one line per bad variable, never echoing values (they may
 * be secrets); the process entry points let it end the process.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
  throw new Error(`invalid configuration:\n${problems}`);
}
