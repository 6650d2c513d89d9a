/**
 * Redis-backed rate limits (rate-limiter-flexible: atomic Lua/MULTI counters shared by every API
 * process). When Redis is unreachable each limiter falls back to an in-process memory limiter with
 * the same settings ("insurance"): limits keep working per process instead of failing closed (which
 * would lock every customer out) or failing open (which would let brute force through).
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClientType } from 'redis';
import { problems } from './http/problem';

export interface RateLimitSettings {
  /** Prefix of every key this module writes (REDIS_KEY_PREFIX). */
  keyPrefix: string;
  checkoutsPerMinute: number;
  loginFailuresPerEmail: number;
  loginFailuresPerClient: number;
  loginFailureWindowSeconds: number;
}

export interface RateLimits {
  /** Throws 429 when this email or client address has failed to log in too often lately. */
  assertLoginAllowed(email: string, clientAddress: string): Promise<void>;
  recordLoginFailure(email: string, clientAddress: string): Promise<void>;
  /** Counts one checkout for the customer; throws 429 beyond the per-minute allowance. */
  consumeCheckout(customerId: string): Promise<void>;
}

function limiter(
  redis: RedisClientType | undefined,
  keyPrefix: string,
  points: number,
  duration: number,
): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  if (!redis) return memory;
  return new RateLimiterRedis({
    storeClient: redis,
    useRedisPackage: true,
    rejectIfRedisNotReady: true,
    keyPrefix,
    points,
    duration,
    insuranceLimiter: memory,
  });
}

const retryAfterSeconds = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export function createRateLimits(settings: RateLimitSettings, redis?: RedisClientType): RateLimits {
  const window = settings.loginFailureWindowSeconds;
  const failuresByEmail = limiter(redis, `${settings.keyPrefix}rl:login-email`, settings.loginFailuresPerEmail, window);
  const failuresByClient = limiter(
    redis,
    `${settings.keyPrefix}rl:login-client`,
    settings.loginFailuresPerClient,
    window,
  );
  const checkouts = limiter(redis, `${settings.keyPrefix}rl:checkout`, settings.checkoutsPerMinute, 60);

  async function assertBelow(l: RateLimiterAbstract, key: string): Promise<void> {
    const res = await l.get(key);
    if (res && res.consumedPoints >= l.points) throw problems.rateLimited(retryAfterSeconds(res));
  }

  return {
    async assertLoginAllowed(email, clientAddress) {
      await assertBelow(failuresByEmail, email.toLowerCase());
      await assertBelow(failuresByClient, clientAddress);
    },

    async recordLoginFailure(email, clientAddress) {
      // penalty() counts without rejecting: the 429 starts with the next attempt, as API.md says.
      await Promise.all([failuresByEmail.penalty(email.toLowerCase()), failuresByClient.penalty(clientAddress)]);
    },

    async consumeCheckout(customerId) {
      try {
        await checkouts.consume(customerId);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw problems.rateLimited(retryAfterSeconds(rejection));
        throw rejection;
      }
    },
  };
}
