import { problems } from '../http/problem';
import { livenessSchema, readinessSchema, type Liveness, type Readiness } from '../../contract/response-schemas';
import { json } from '../openapi/operation';
import { routeGroup } from './define';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

/** Liveness says the process runs; readiness says its three dependencies answer right now. */
const health = routeGroup({
  prefix: '',
  setup: ({ deps: { db, redis, temporal } }) => {
    const checks: Record<string, () => Promise<unknown>> = {
      postgres: () => db.$queryRaw`SELECT 1`,
      redis: () => redis.ping(),
      temporal: () => temporal.connection.workflowService.getSystemInfo({}),
    };
    return { checks };
  },
});

export const healthRoutes = health.of([
  health.route({
    method: 'get',
    path: '/healthz',
    operationId: 'getLiveness',
    summary: 'Liveness: 200 while the process lives',
    tag: 'Operations',
    access: 'public',
    success: { 200: { description: 'The process is alive.', content: json('Liveness', livenessSchema) } },
    handler: () => (c) => c.json({ status: 'ok' } satisfies Liveness),
  }),
  health.route({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: 200 only when PostgreSQL, Redis and Temporal answer',
    tag: 'Operations',
    access: 'public',
    success: { 200: { description: 'Every dependency answers.', content: json('Readiness', readinessSchema) } },
    problems: ['not_ready'],
    handler:
      ({ checks }) =>
      async (c) => {
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
      },
  }),
]);
