/**
 * API process: builds the dependencies once, serves the app, and drains on SIGTERM/SIGINT (stop
 * accepting connections, let in-flight requests finish, then close pools).
 */
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { buildDependencies } from './build-deps';
import { loadApiConfig } from './config';

const DRAIN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const config = loadApiConfig();
  const deps = await buildDependencies(config);
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    console.log(JSON.stringify({ level: 'info', msg: 'api listening', port: info.port }));
  });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ level: 'info', msg: 'api draining', signal }));
    server.close(() => void deps.close().then(() => process.exit(0)));
    // Idle keep-alive connections would hold close() open: exit after a grace period regardless.
    setTimeout(() => process.exit(0), DRAIN_TIMEOUT_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
