/**
 * The API process around an app: builds the dependencies once, serves the app on PORT and
 * Prometheus metrics on METRICS_PORT, and drains on SIGTERM/SIGINT: stop accepting connections,
 * let in-flight requests finish (up to SHUTDOWN_GRACE_MS), then close pools and flush the last
 * spans. api/server.ts runs it with `createApp`; another entry point may serve an app that wraps it.
 */
import { tracing } from './instrument';
import type { Hono } from 'hono';
import { startMetricsServer } from '../platform/metrics-server';
import { buildDependencies } from './build-deps';
import { loadApiConfig } from './config';
import type { AppDependencies } from './deps';
import { createHttpMetrics } from './observability/http-metrics';
import { serveApp } from './serve-app';

export function runApiProcess(makeApp: (deps: AppDependencies) => Hono): void {
  main(makeApp).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

async function main(makeApp: (deps: AppDependencies) => Hono): Promise<void> {
  const config = loadApiConfig();
  const metrics = createHttpMetrics();
  const deps = await buildDependencies(config, { metrics });
  const { logger } = deps;
  const app = makeApp(deps);
  const server = serveApp(
    app,
    { port: config.PORT, hostname: config.HOST, requestTimeoutMs: config.REQUEST_TIMEOUT_MS },
    (info) => logger.info({ port: info.port }, 'api listening'),
  );
  const metricsServer =
    config.METRICS_PORT > 0
      ? await startMetricsServer({ port: config.METRICS_PORT, host: config.HOST }, async () => ({
          contentType: metrics.registry.contentType,
          body: await metrics.registry.metrics(),
        }))
      : undefined;

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api draining');
    const finish = async (code: number): Promise<never> => {
      await Promise.allSettled([deps.close(), metricsServer?.close(), tracing?.shutdown()]);
      logger.info({ code }, 'api stopped');
      process.exit(code);
    };
    // close() stops accepting and closes idle keep-alive sockets; it calls back once in-flight requests are answered.
    server.close(() => void finish(0));
    setTimeout(() => {
      logger.warn(
        { graceMs: config.SHUTDOWN_GRACE_MS },
        'requests still in flight after the grace period; closing them',
      );
      if ('closeAllConnections' in server) server.closeAllConnections();
      void finish(1);
    }, config.SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
