/**
 * OpenTelemetry for both processes, configured by the standard OTEL_* variables (endpoint, protocol
 * grpc | http/protobuf | http/json, service name, sampler, resource attributes), read by
 * @opentelemetry/sdk-node itself. HTTP and PostgreSQL (the `pg` driver under Prisma's adapter) are
 * instrumented; Temporal's interceptors (client in the API, worker/workflow in the worker) carry the
 * context across the workflow boundary, so one trace runs from the HTTP request to the SQL.
 *
 * Must be started before `http` and `pg` are loaded: the entry points import `./instrument` first.
 */
import { trace, type TracerProvider } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import type { IResource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface Tracing {
  /** What the worker hands to Temporal's workflow span exporter (workflow spans leave the sandbox through a sink). */
  spanProcessor: SpanProcessor;
  resource: IResource;
  /** Flushes pending spans; called on shutdown so the last requests' traces are not lost. */
  shutdown(): Promise<void>;
}

/** Paths that answer probes and scrapes: tracing them would bury real traffic. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

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

interface ProviderWithProcessor extends TracerProvider {
  readonly resource: IResource;
  getActiveSpanProcessor(): SpanProcessor;
}

function hasSpanProcessor(provider: TracerProvider): provider is ProviderWithProcessor {
  return typeof (provider as Partial<ProviderWithProcessor>).getActiveSpanProcessor === 'function';
}

/** The SDK's registered provider, behind the API's proxy. */
function registeredProvider(): ProviderWithProcessor {
  const proxy = trace.getTracerProvider() as TracerProvider & { getDelegate?: () => TracerProvider };
  const provider = proxy.getDelegate ? proxy.getDelegate() : proxy;
  if (!hasSpanProcessor(provider)) throw new Error('OpenTelemetry SDK did not register a tracer provider');
  return provider;
}

export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!tracingConfigured(env)) return undefined;
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME, when set, wins: the SDK's environment detector reads it.
    ...(env.OTEL_SERVICE_NAME ? {} : { serviceName }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
      }),
      // Without a parent span a query is noise (pool warm-up, health checks): only traced work is recorded.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  const provider = registeredProvider();
  return {
    spanProcessor: provider.getActiveSpanProcessor(),
    resource: provider.resource,
    shutdown: () => sdk.shutdown(),
  };
}
