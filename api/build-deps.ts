/**
 * Builds the API's dependencies from its configuration: one Prisma pool, one Redis client, one
 * Temporal connection per process. Shared by api/server.ts and the API tests, so tests exercise the
 * same wiring as production.
 */
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { createClient, type RedisClientType } from 'redis';
import { createScryptHasher, type PasswordHasher } from '../domain/passwords';
import { createPrismaClient } from '../prisma/client';
import { createCartReminders } from './carts/cart-reminders';
import { createProductCache } from './catalog/product-cache';
import { createLogger, type Logger } from '../platform/logger';
import { temporalConnectionOptions } from '../platform/temporal-connection';
import type { ApiConfig } from './config';
import type { AppDependencies } from './deps';
import type { HttpMetrics } from './observability/http-metrics';
import { createRateLimits } from './rate-limits';

export interface BuiltDependencies extends AppDependencies {
  close(): Promise<void>;
}

export function createRedisClient(url: string): RedisClientType {
  // Without the offline queue, commands fail fast while Redis is down instead of hanging requests.
  const redis: RedisClientType = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000) },
  });
  redis.on('error', () => undefined); // it reconnects by itself; /readyz reports the outage
  return redis;
}

export interface BuildOptions {
  /** Defaults to JSON lines on stdout at LOG_LEVEL. */
  logger?: Logger;
  metrics?: HttpMetrics;
  /** Defaults to scrypt at PASSWORD_SCRYPT_LOG2_N; tests wrap it to count password checks. */
  passwords?: PasswordHasher;
}

export async function buildDependencies(config: ApiConfig, options: BuildOptions = {}): Promise<BuiltDependencies> {
  const logger = options.logger ?? createLogger({ service: 'commerce-api', level: config.LOG_LEVEL });
  const db = createPrismaClient({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  const redis = createRedisClient(config.REDIS_URL);
  // Not awaited: with a reconnect strategy, connect() only settles once Redis answers. Redis down at
  // start is not fatal: rate limits use their memory fallback and /readyz reports it until it is back.
  void redis.connect().catch(() => undefined);
  // TLS, mTLS or an API key, as configured (the workers connect with the same options).
  const connection = await Connection.connect(temporalConnectionOptions(config));
  // Puts the HTTP request's trace context into the workflow's headers (a no-op while tracing is off).
  const temporal = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
  });
  const rateLimits = createRateLimits(
    {
      keyPrefix: config.REDIS_KEY_PREFIX,
      checkoutsPerMinute: config.CHECKOUT_RATE_LIMIT_PER_MINUTE,
      guestCartsPerClientPerHour: config.GUEST_CARTS_PER_CLIENT_PER_HOUR,
      loginFailuresPerEmail: config.LOGIN_FAILURES_PER_EMAIL,
      loginFailuresPerClient: config.LOGIN_FAILURES_PER_CLIENT,
      loginFailureWindowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
    },
    redis,
  );
  const productCache = createProductCache(redis, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    ttlMs: config.CATALOG_CACHE_TTL_MS,
  });
  const cartReminders = createCartReminders({
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    quietForHours: config.CART_REMINDER_AFTER_HOURS,
    logger,
  });
  return {
    config,
    db,
    redis,
    temporal,
    rateLimits,
    productCache,
    logger,
    cartReminders,
    passwords: options.passwords ?? createScryptHasher({ N: 2 ** config.PASSWORD_SCRYPT_LOG2_N, r: 8, p: 1 }),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    async close() {
      // close() waits for pending replies; destroy() gives up on a Redis that never answered.
      const closeRedis = redis.isReady ? redis.close() : Promise.resolve(redis.destroy());
      await Promise.allSettled([db.$disconnect(), closeRedis, productCache.close(), connection.close()]);
    },
  };
}
