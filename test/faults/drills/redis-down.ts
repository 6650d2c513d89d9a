/**
 * Redis stopped for 25 s under a stream of checkouts. docs/api.md#rate-limits: each rate limiter then falls back to
 * an in-process memory limiter with the same settings, and `/readyz` reports redis as failing.
 * Asserted meanwhile: checkouts keep working; 10 failed logins for one email make the 11th attempt
 * 429 even with the right password, while another user still logs in; a customer's checkouts beyond
 * the per-minute allowance get 429. After Redis is back, `/readyz` is 200 again.
 */
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../../domain/passwords';
import { createUserRepository } from '../../../prisma/repositories/users';
import type { BenchStack } from '../../../tooling/stack';
import { bootStack, closeBooks, probeReady, sleep, standardMix, type Drill } from '../drill';
import { CheckoutStream } from '../load';

const CHECKOUTS_PER_MINUTE = 30;
const LOGIN_FAILURES_PER_EMAIL = 10;
const DOWN_MS = 25_000;

async function login(
  stack: BenchStack,
  email: string,
  password: string,
): Promise<{ status: number; retryAfter: string | null; token?: string }> {
  const res = await fetch(`${stack.baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const json = (await res.json()) as { accessToken?: string };
  return {
    status: res.status,
    retryAfter: res.headers.get('Retry-After'),
    ...(json.accessToken ? { token: json.accessToken } : {}),
  };
}

export const redisDown: Drill = {
  name: 'redis-down',
  async run(ctx) {
    const stack = await bootStack(ctx, this.name, {
      env: {
        CHECKOUT_RATE_LIMIT_PER_MINUTE: String(CHECKOUTS_PER_MINUTE),
        LOGIN_FAILURES_PER_EMAIL: String(LOGIN_FAILURES_PER_EMAIL),
      },
    });
    try {
      const problems: string[] = [];
      const users = createUserRepository(stack.db);
      const password = 'drill-password';
      const [target, bystander, shopper] = ['target', 'bystander', 'shopper'].map(
        (who) => `${who}-${randomUUID()}@faults.example`,
      ) as [string, string, string];
      for (const email of [target, bystander, shopper]) {
        await users.upsertUser({
          id: randomUUID(),
          email,
          role: 'customer',
          passwordHash: await hashPassword(password),
        });
      }
      const shopperToken = (await login(stack, shopper, password)).token;
      if (!shopperToken) throw new Error('the shopper could not log in before the fault');

      const stream = new CheckoutStream({
        baseUrl: stack.baseUrl,
        customerTokens: stack.customerTokens,
        ratePerSecond: 3,
        pick: standardMix,
      });
      // The shopper's checkouts, apart from the stream so the allowance is counted from zero.
      const shopping = new CheckoutStream({
        baseUrl: stack.baseUrl,
        customerTokens: [shopperToken],
        ratePerSecond: 1,
        pick: () => ({ token: 'tok_visa', sku: 'FAULT-A' }),
      });
      stream.start();
      await sleep(8_000);
      await ctx.redis.stop();
      const downSince = Date.now();
      await sleep(1_000);

      const ready = await probeReady(stack);
      if (ready.status !== 503 || !ready.failing.includes('redis')) {
        problems.push(
          `/readyz with Redis down answered ${ready.status} (failing: ${ready.failing.join(',') || '-'}), expected 503 naming redis`,
        );
      }
      const failures: number[] = [];
      for (let i = 0; i < LOGIN_FAILURES_PER_EMAIL; i++)
        failures.push((await login(stack, target, 'wrong-password')).status);
      if (failures.some((s) => s !== 401))
        problems.push(`failed logins with Redis down answered ${failures.join(',')}, expected 401 each`);
      const locked = await login(stack, target, password);
      if (locked.status !== 429 || !locked.retryAfter) {
        problems.push(
          `login after ${LOGIN_FAILURES_PER_EMAIL} failures with Redis down answered ${locked.status}, expected 429 with Retry-After (memory fallback)`,
        );
      }
      const other = await login(stack, bystander, password);
      if (other.status !== 200)
        problems.push(
          `another user's login with Redis down answered ${other.status}, expected 200 (limits must not fail closed)`,
        );

      // All at once, so the whole burst falls in one window of the per-minute allowance.
      const burst = await Promise.all(
        Array.from({ length: CHECKOUTS_PER_MINUTE + 2 }, () => shopping.fire({}, { retry: false })),
      );
      const accepted = burst.filter((c) => c.accepted).length;
      const limited = burst.filter((c) => c.refusedWith === 'rate_limited').length;
      if (accepted !== CHECKOUTS_PER_MINUTE || limited !== 2) {
        problems.push(
          `${CHECKOUTS_PER_MINUTE + 2} checkouts of one customer with Redis down: ${accepted} accepted, ${limited} rate-limited; expected ${CHECKOUTS_PER_MINUTE} and 2`,
        );
      }

      await sleep(Math.max(0, downSince + DOWN_MS - Date.now()));
      await ctx.redis.start();
      await stack.waitReady(30_000).catch(() => problems.push('/readyz not 200 within 30 s of Redis coming back'));
      await sleep(8_000);
      await stream.stop();
      await shopping.stop();
      const books = await closeBooks(stack, [...stream.outcomes, ...shopping.outcomes]);
      return {
        books,
        notes: `redis down ${DOWN_MS / 1000} s: /readyz ${ready.status}, login ${failures.length}x401 then ${locked.status}, other user ${other.status}, checkouts ${accepted} accepted + ${limited}x429`,
        problems,
      };
    } finally {
      await ctx.redis.start().catch(() => undefined);
      await stack.stop();
    }
  },
};
