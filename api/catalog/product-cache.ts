/**
 * Read-through cache of product documents, in two tiers: each API process keeps the documents it
 * served in memory (lru-cache), and Redis shares them between processes. Catalog reads are the
 * storefront's hottest path and tolerate a little staleness: `available` may lag reservations by up
 * to the TTL (reservations themselves are exact, in PostgreSQL).
 *
 * Why a memory tier in front of Redis: a Redis round trip per read was most of a catalog read's
 * cost, and a hit in memory costs no I/O (docs/performance.md#product-cache).
 * An admin's inventory change must still show at once everywhere, so `evict` deletes the Redis entry
 * and publishes the sku on a channel every process listens to. A process that misses a message
 * (its subscriber reconnecting) serves the old document for at most the TTL. With Redis down the
 * memory tier still answers, for the same TTL; TTL 0 turns both tiers off.
 */
import { LRUCache } from 'lru-cache';
import type { RedisClientType } from 'redis';

export interface ProductCache {
  /**
   * The document of `sku` when this process holds it in memory, synchronously: a hit then costs the
   * catalog route no promise at all (each one is work for Node's async hooks, which the Temporal
   * client's AsyncLocalStorage keeps on in the API process).
   */
  peek(sku: string): string | undefined;
  /** The cached JSON document of `sku`, or null on a miss (or when the cache is unavailable). */
  get(sku: string): Promise<string | null>;
  set(sku: string, json: string): Promise<void>;
  /** Drops `sku` here, in Redis and in every other process's memory. */
  evict(sku: string): Promise<void>;
  /** Stops listening for evictions. */
  close(): Promise<void>;
}

export interface ProductCacheOptions {
  keyPrefix: string;
  ttlMs: number;
  /** Documents kept in memory per process; the catalog's hot set, not all of it. */
  maxLocalEntries?: number;
}

const DEFAULT_MAX_LOCAL_ENTRIES = 10_000;

export function createProductCache(redis: RedisClientType, options: ProductCacheOptions): ProductCache {
  const { keyPrefix, ttlMs } = options;
  const key = (sku: string): string => `${keyPrefix}catalog:product:${sku}`;
  const channel = `${keyPrefix}catalog:evictions`;
  const local =
    ttlMs > 0
      ? new LRUCache<string, string>({
          max: options.maxLocalEntries ?? DEFAULT_MAX_LOCAL_ENTRIES,
          ttl: ttlMs,
          ttlAutopurge: false,
        })
      : undefined;
  const usable = (): boolean => ttlMs > 0 && redis.isReady;
  // A cache failure must never fail a read: the database answers instead.
  const quietly = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch {
      return fallback;
    }
  };

  // Pub/sub needs a connection of its own; it reconnects by itself like the main client.
  const subscriber = local ? redis.duplicate() : undefined;
  if (subscriber && local) {
    subscriber.on('error', () => undefined);
    void subscriber
      .connect()
      .then(() => subscriber.subscribe(channel, (sku) => void local.delete(sku)))
      .catch(() => undefined);
  }

  return {
    peek: (sku) => local?.get(sku),
    get: async (sku) => {
      const hit = local?.get(sku);
      if (hit !== undefined) return hit;
      if (!usable()) return null;
      const shared = await quietly(() => redis.get(key(sku)), null);
      if (shared !== null) local?.set(sku, shared);
      return shared;
    },
    set: async (sku, json) => {
      local?.set(sku, json);
      if (usable()) await quietly(() => redis.set(key(sku), json, { expiration: { type: 'PX', value: ttlMs } }), null);
    },
    evict: async (sku) => {
      local?.delete(sku);
      if (!redis.isReady) return;
      await quietly(() => redis.del(key(sku)), 0);
      await quietly(() => redis.publish(channel, sku), 0);
    },
    close: async () => {
      if (!subscriber) return;
      if (subscriber.isReady) await quietly(() => subscriber.close(), undefined);
      else subscriber.destroy();
    },
  };
}
