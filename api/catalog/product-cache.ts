/**
 * Read-through cache of product documents in Redis, shared by every API process. Catalog reads are
 * the storefront's hottest path and tolerate a little staleness: `available` may lag reservations by
 * up to the TTL (reservations themselves are exact, in PostgreSQL). An admin's inventory change
 * evicts the entry at once. With Redis down, or TTL 0, reads go straight to the database.
 */
import type { RedisClientType } from 'redis';

export interface ProductCache {
  /** The cached JSON document of `sku`, or null on a miss (or when the cache is unavailable). */
  get(sku: string): Promise<string | null>;
  set(sku: string, json: string): Promise<void>;
  evict(sku: string): Promise<void>;
}

export function createProductCache(redis: RedisClientType, keyPrefix: string, ttlMs: number): ProductCache {
  const key = (sku: string): string => `${keyPrefix}catalog:product:${sku}`;
  const usable = (): boolean => ttlMs > 0 && redis.isReady;
  // A cache failure must never fail a read: the database answers instead.
  const quietly = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch {
      return fallback;
    }
  };
  return {
    get: (sku) => (usable() ? quietly(() => redis.get(key(sku)), null) : Promise.resolve(null)),
    set: async (sku, json) => {
      if (usable()) await quietly(() => redis.set(key(sku), json, { expiration: { type: 'PX', value: ttlMs } }), null);
    },
    evict: async (sku) => {
      if (redis.isReady) await quietly(() => redis.del(key(sku)), 0);
    },
  };
}
