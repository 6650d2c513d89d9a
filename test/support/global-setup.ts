/**
 * Once per `jest` run: check PostgreSQL and Redis, create a throwaway database and migrate it, start
 * an in-memory Temporal dev server on a free port, build the workflow bundle once. Test files read
 * where these are from the TEST_* variables (jest's workers inherit this process's environment).
 */
import path from 'node:path';
import { applyMigrations, ensureDatabase } from '../../prisma/migrator';
import { freePort } from '../../tooling/ports';
import { checkServices } from '../../tooling/preflight';
import { loadStackEnv } from '../../tooling/stack-env';
import { startDevServer, type DevServer } from '../../tooling/temporal-dev-server';
import { buildWorkflowBundle } from '../../workers/build-bundle';

declare global {
  var __TEST_STACK__: { devServer: DevServer; databaseUrl: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  // The servers of DATABASE_URL and REDIS_URL, or the processes' defaults; the database is the run's own.
  const { DATABASE_URL, REDIS_URL: redisUrl } = loadStackEnv();
  const base = new URL(DATABASE_URL);
  await checkServices({ databaseUrl: base.toString(), redisUrl });

  const runId = `${Date.now()}_${process.pid}`;
  base.pathname = `/commerce_test_${runId}`;
  const databaseUrl = base.toString();
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);

  const bundlePath = path.resolve(__dirname, '..', '..', 'dist', `test-workflow-bundle-${runId}.js`);
  const [devServer] = await Promise.all([startDevServer({ port: await freePort() }), buildWorkflowBundle(bundlePath)]);

  process.env.TEST_DATABASE_URL = databaseUrl;
  process.env.TEST_REDIS_URL = redisUrl;
  process.env.TEST_REDIS_PREFIX = `commerce-test:${runId}:`;
  process.env.TEST_TEMPORAL_ADDRESS = devServer.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  globalThis.__TEST_STACK__ = { devServer, databaseUrl };
}
