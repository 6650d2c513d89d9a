/**
 * How the API process serves an app on Node: every request goes to `app.fetch`, so every answer
 * passes the app's middleware chain. The tests' harness serves its app through this too, so the
 * tests cover the path production takes.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

export interface ServeOptions {
  port: number;
  hostname: string;
  /** The whole request must arrive within this (Node's requestTimeout; headers within at most 10 s). */
  requestTimeoutMs: number;
}

export function serveApp(app: Hono, options: ServeOptions, onListening?: (info: AddressInfo) => void): ServerType {
  return serve(
    {
      fetch: app.fetch,
      port: options.port,
      hostname: options.hostname,
      // Node's own limits against slow clients (slowloris): the whole request, and its headers, must
      // arrive in time; the app's timeout middleware then bounds the handler.
      serverOptions: {
        requestTimeout: options.requestTimeoutMs,
        headersTimeout: Math.min(options.requestTimeoutMs, 10_000),
      },
    },
    onListening,
  );
}
