/** Environment of the API process, parsed once at start-up; nothing else reads process.env. */
import { z } from 'zod';
import { parseEnv, providersOf, refineProviders, sharedEnvShape, type Providers } from '../platform/env';
import { refineTemporalTls } from '../platform/temporal-connection';
import { parseCidr, type Cidr } from './http/client-address';

import { DEV_CARRIER_WEBHOOK_SECRET, DEV_JWT_SECRET, DEV_PAYMENT_WEBHOOK_SECRET } from './dev-secrets';
import { productionSecretProblem } from './published-secrets';

export { DEV_JWT_SECRET };

/** The variables production checks with `productionSecretProblem`. */
const PRODUCTION_SECRETS = ['JWT_SECRET', 'PAYMENT_WEBHOOK_SECRET', 'CARRIER_WEBHOOK_SECRET'] as const;

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
    GUEST_CARTS_PER_CLIENT_PER_HOUR: z.coerce.number().int().min(1).default(60),
    LOGIN_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).default(10),
    LOGIN_FAILURES_PER_CLIENT: z.coerce.number().int().min(1).default(100),
    LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
    /**
     * Proxies (comma-separated CIDRs or addresses) whose X-Forwarded-For is believed, e.g. the
     * ingress's pod network. Empty (the default): the socket's peer is the client.
     */
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((v, ctx): Cidr[] => {
        const entries = v
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean);
        const parsed = entries.map(parseCidr);
        if (parsed.some((c) => c === null)) {
          ctx.addIssue({ code: 'custom', message: 'must be comma-separated CIDRs or IP addresses' });
          return z.NEVER;
        }
        return parsed.filter((c): c is Cidr => c !== null);
      }),
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
    /**
     * The Temporal Web UI people open from the support console (an order's workflows); the default
     * is the dev server's that `npm start` runs. Only linked to, never called by the API.
     */
    TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:8233'),
    /** How long a product document may be served from the Redis cache (0: no cache). */
    CATALOG_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
    /**
     * log2 of scrypt's N for new password hashes (r=8, p=1). 17 is OWASP's recommendation and the
     * production minimum; tests may lower it (the harness uses 14) to keep fixtures fast.
     */
    PASSWORD_SCRYPT_LOG2_N: z.coerce.number().int().min(14).max(18).default(17),
    PAYMENT_WEBHOOK_SECRET: z.string().min(1).default(DEV_PAYMENT_WEBHOOK_SECRET),
    CARRIER_WEBHOOK_SECRET: z.string().min(1).default(DEV_CARRIER_WEBHOOK_SECRET),
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
    refineProviders(env, ctx);
    if (env.NODE_ENV === 'production' && env.PASSWORD_SCRYPT_LOG2_N < 17) {
      ctx.addIssue({ code: 'custom', path: ['PASSWORD_SCRYPT_LOG2_N'], message: 'must be at least 17 in production' });
    }
    // A production deployment must never sign tokens or check webhooks with a secret anyone can
    // read in this repository, nor with one short or repetitive enough to guess.
    if (env.NODE_ENV !== 'production') return;
    for (const name of PRODUCTION_SECRETS) {
      const problem = productionSecretProblem(env[name]);
      if (problem) ctx.addIssue({ code: 'custom', path: [name], message: `${problem} (production)` });
    }
  });

export type ApiConfig = z.infer<typeof apiEnvSchema>;

/** The payment provider this API works with (PROVIDERS, shared with the workers): `simulated` serves the simulated bank. */
export function paymentProviderOf(config: Pick<ApiConfig, 'NODE_ENV' | 'PROVIDERS'>): Providers {
  return providersOf(config);
}

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseEnv(apiEnvSchema, env);
}
