import { Hono } from 'hono';
import type { AppDependencies } from '../deps';
import { problems } from '../http/problem';
import type { Liveness, Readiness } from '../http/response-schemas';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

/** Liveness says the process runs; readiness says its three dependencies answer right now. */
export function healthRoutes({ db, redis, temporal }: AppDependencies) {
  const checks: Record<string, () => Promise<unknown>> = {
    postgres: () => db.$queryRaw`SELECT 1`,
    redis: () => redis.ping(),
    temporal: () => temporal.connection.workflowService.getSystemInfo({}),
  };

  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' } satisfies Liveness))
    .get('/readyz', async (c) => {
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check());
            return [name, 'ok'] as const;
          } catch {
            return [name, 'unavailable'] as const;
          }
        }),
      );
      const failing = results.filter(([, state]) => state !== 'ok').map(([name]) => name);
      if (failing.length > 0) throw problems.notReady(failing);
      // Every check answered by now: each is 'ok'.
      const answered = Object.fromEntries(results.map(([name]) => [name, 'ok' as const]));
      return c.json({ status: 'ready', checks: answered } satisfies Readiness);
    });
}
