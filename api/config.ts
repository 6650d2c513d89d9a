/** Environment of the API process, parsed once at start-up; nothing else reads process.env. */
import { z } from 'zod';
import { parseEnv, sharedEnvShape } from '../platform/env';
import { refineTemporalTls } from '../platform/temporal-connection';

export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789';

export const apiEnvSchema = z
  .object({
    ...sharedEnvShape,
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    /** A request still unanswered after this many milliseconds gets 503 problem+json. */
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    /** Namespaces every Redis key, so several deployments (or test runs) can share one Redis. */
    REDIS_KEY_PREFIX: z.string().default('commerce:'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
    JWT_ISSUER: z.string().default('temporal-commerce'),
    JWT_AUDIENCE: z.string().default('temporal-commerce-api'),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    CHECKOUT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    LOGIN_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).default(10),
    LOGIN_FAILURES_PER_CLIENT: z.coerce.number().int().min(1).default(100),
    LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
    /** Storefront origins allowed to call the API from a browser (comma-separated; empty: none). */
    CORS_ORIGINS: z
      .string()
      .default('http://localhost:5173')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      ),
    /** How long a product document may be served from the Redis cache (0: no cache). */
    CATALOG_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
    PAYMENT_WEBHOOK_SECRET: z.string().min(1).default('dev-payment-webhook-secret'),
    CARRIER_WEBHOOK_SECRET: z.string().min(1).default('dev-carrier-webhook-secret'),
    /**
     * The payment provider the deployment charges through. `simulated` (the default outside
     * production) makes this process also play the simulated bank: the /sim/3ds pages. `external`:
     * a real provider, whose own pages and webhooks take that part, so those routes do not exist.
     */
    PAYMENT_PROVIDER: z.enum(['simulated', 'external']).optional(),
    /**
     * This API's own base URL as a provider would call it (no trailing slash); the simulated bank
     * sends its webhooks there. Unset: the address the simulator's request arrived on.
     */
    PUBLIC_BASE_URL: z
      .string()
      .url()
      .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http:// or https:// URL')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  })
  .superRefine((env, ctx) => {
    refineTemporalTls(env, ctx);
    // A production deployment must never sign tokens with a secret that is published in this repo.
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set in production' });
    }
  });

export type ApiConfig = z.infer<typeof apiEnvSchema>;

/** PAYMENT_PROVIDER, or its default: simulated everywhere but production. */
export function paymentProviderOf(config: Pick<ApiConfig, 'NODE_ENV' | 'PAYMENT_PROVIDER'>): 'simulated' | 'external' {
  return config.PAYMENT_PROVIDER ?? (config.NODE_ENV === 'production' ? 'external' : 'simulated');
}

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseEnv(apiEnvSchema, env);
}
