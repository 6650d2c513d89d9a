/** The OpenTelemetry SDK of platform/tracing.ts, in a module of its own so it loads only when tracing is on. */
import { trace, type TracerProvider } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import type { IResource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { redactQueryStrings } from './span-urls';

/** A running SDK, as the processes hold it. */
export interface Tracing {
  /** What the worker hands to Temporal's workflow span exporter (workflow spans leave the sandbox through a sink). */
  spanProcessor: SpanProcessor;
  resource: IResource;
  /** Flushes pending spans; called on shutdown so the last requests' traces are not lost. */
  shutdown(): Promise<void>;
}

/** Paths that answer probes and scrapes: tracing them would bury real traffic. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

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

/** Starts the SDK (platform/tracing.ts `startTracing` decides whether tracing is on). */
export function startTracingSdk(serviceName: string, env: NodeJS.ProcessEnv): Tracing {
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME, when set, wins: the SDK's environment detector reads it.
    ...(env.OTEL_SERVICE_NAME ? {} : { serviceName }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
        requestHook: redactQueryStrings,
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
