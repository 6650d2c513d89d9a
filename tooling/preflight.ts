/**
 * Checks that PostgreSQL and Redis answer, and says exactly what to do when one does not, instead of
 * letting the stack hang on a connection that will never come.
 */
import { Client } from 'pg';
import { createClient } from 'redis';

const HOW_TO_START = {
  postgres:
    'start it (on Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; or: docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16) or point DATABASE_URL at a running server',
  redis:
    'start it (redis-server --daemonize yes --port 6379; or: docker run -d -p 6379:6379 redis:7.4) or point REDIS_URL at a running server',
};

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port}`;
  } catch {
    return url;
  }
}

export async function checkPostgres(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres'; // the application database may not exist yet
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${hostOf(databaseUrl)} (DATABASE_URL): ${(error as Error).message}.\n  To fix: ${HOW_TO_START.postgres}.`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(redisUrl: string): Promise<void> {
  const client = createClient({ url: redisUrl, socket: { connectTimeout: 3_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${hostOf(redisUrl)} (REDIS_URL): ${(error as Error).message}.\n  To fix: ${HOW_TO_START.redis}.`,
      { cause: error },
    );
  } finally {
    if (client.isOpen) await client.quit().catch(() => undefined);
  }
}

export async function checkServices(env: { databaseUrl: string; redisUrl: string }): Promise<void> {
  const results = await Promise.allSettled([checkPostgres(env.databaseUrl), checkRedis(env.redisUrl)]);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failures.length > 0) throw new Error(failures.join('\n'));
}
