/**
 * OpenTelemetry for both processes, configured by the standard OTEL_* variables (endpoint, protocol
 * grpc | http/protobuf | http/json, service name, sampler, resource attributes), read by
 * @opentelemetry/sdk-node itself. HTTP and PostgreSQL (the `pg` driver under Prisma's adapter) are
 * instrumented; Temporal's interceptors (client in the API, worker/workflow in the worker) carry the
 * context across the workflow boundary, so one trace runs from the HTTP request to the SQL.
 *
 * Must be started before `http` and `pg` are loaded: the entry points import `./instrument` first.
 * The SDK itself (platform/tracing-sdk.ts) is loaded only when tracing is configured: loading it
 * costs every process memory at start-up (docs/performance.md#memory).
 */
// Types only: erased at run time, so importing them here does not load the SDK.
import type { startTracingSdk, Tracing } from './tracing-sdk';

export type { Tracing };

/**
 * Tracing is on when an OTLP endpoint (or another exporter) is configured and OTEL_SDK_DISABLED is not
 * true. Off, nothing is loaded or exported and the instrumentation costs nothing.
 */
export function tracingConfigured(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporters === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || exporters);
}

export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!tracingConfigured(env)) return undefined;
  // Loaded here, synchronously, so it still comes before `http` and `pg`, and only when wanted.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('./tracing-sdk') as { startTracingSdk: typeof startTracingSdk };
  return sdk.startTracingSdk(serviceName, env);
}
