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
  guestCartsPerClientPerHour: number;
  loginFailuresPerEmail: number;
  loginFailuresPerClient: number;
  loginFailureWindowSeconds: number;
}

export interface RateLimits {
  /**
   * Takes one attempt from this email's and this client address's failure allowance before the
   * password is checked; throws 429 when either is used up. Taking before checking (one atomic
   * Redis INCR each) is what bounds the checks under concurrency: a read-then-count would let every
   * parallel attempt read "below the limit" and reach the password check.
   */
  takeLoginAttempt(email: string, clientAddress: string): Promise<void>;
  /** Gives back the attempt a successful login took: only failures count against the allowance. */
  refundLoginAttempt(email: string, clientAddress: string): Promise<void>;
  /** Counts one checkout for the customer; throws 429 beyond the per-minute allowance. */
  consumeCheckout(customerId: string): Promise<void>;
  /**
   * Counts one new guest cart for the client address; throws 429 beyond the hourly allowance
   * (docs/api.md#carts: guest carts are rate-limited per client address, so nobody fills the
   * carts table anonymously).
   */
  consumeGuestCart(clientAddress: string): Promise<void>;
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
  const guestCarts = limiter(redis, `${settings.keyPrefix}rl:guest-cart`, settings.guestCartsPerClientPerHour, 3600);

  /** Consumes one point, turning a rejection into 429 with Retry-After. */
  async function take(l: RateLimiterAbstract, key: string): Promise<void> {
    try {
      await l.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw problems.rateLimited(retryAfterSeconds(rejection));
      throw rejection;
    }
  }

  return {
    async takeLoginAttempt(email, clientAddress) {
      const emailKey = email.toLowerCase();
      await take(failuresByEmail, emailKey);
      try {
        await take(failuresByClient, clientAddress);
      } catch (error) {
        // Refused by the client's allowance: this attempt checks no password, so it is no failure
        // of the email's (one client must not lock an account out by spraying from a blocked address).
        await failuresByEmail.reward(emailKey).catch(() => undefined);
        throw error;
      }
    },

    async refundLoginAttempt(email, clientAddress) {
      await Promise.all([failuresByEmail.reward(email.toLowerCase()), failuresByClient.reward(clientAddress)]);
    },

    async consumeCheckout(customerId) {
      try {
        await checkouts.consume(customerId);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw problems.rateLimited(retryAfterSeconds(rejection));
        throw rejection;
      }
    },

    consumeGuestCart: (clientAddress) => take(guestCarts, clientAddress),
  };
}
