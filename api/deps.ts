import type { Client } from '@temporalio/client';
import type { RedisClientType } from 'redis';
import type { PasswordHasher } from '../domain/passwords';
import type { Db } from '../prisma/client';
import type { Logger } from '../platform/logger';
import type { CartReminders } from './carts/cart-reminders';
import type { ProductCache } from './catalog/product-cache';
import type { ApiConfig } from './config';
import type { HttpMetrics } from './observability/http-metrics';
import type { RateLimits } from './rate-limits';

/** Everything the HTTP layer needs, built by api/server.ts (or by a test with its own parts). */
export interface AppDependencies {
  config: ApiConfig;
  db: Db;
  temporal: Client;
  redis: RedisClientType;
  rateLimits: RateLimits;
  /** One per process, shared by the catalog's readers and the admin routes that evict. */
  productCache: ProductCache;
  logger: Logger;
  /** One per process, so the cart routes' changes and the checkout's end meet in its windows. */
  cartReminders: CartReminders;
  passwords: PasswordHasher;
  /** Absent in tests that do not look at metrics; the process always has them. */
  metrics?: HttpMetrics;
}
