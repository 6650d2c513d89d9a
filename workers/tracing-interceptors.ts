/**
 * Temporal's OpenTelemetry interceptors, wired the same way wherever a worker runs (the process, the
 * API tests' harness, the workflow tests, replay). Workflow code runs in a sandbox: its spans leave it
 * through the `exporter` sink, which hands them to the process's span processor.
 *
 * The workflow interceptors are always compiled into the bundle (built once, before anyone knows
 * whether tracing will be on), so the sink is always registered: a no-op processor when tracing is off.
 */
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './observability/tracing';

export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];

/**
 * `bundled`: the worker runs a pre-built bundle, which already holds the workflow interceptors (the
 * SDK ignores, with a warning, interceptor modules passed beside a bundle).
 */
export function workerTracingOptions(
  tracing?: Tracing,
  { bundled }: { bundled: boolean } = { bundled: true },
): Required<Pick<WorkerOptions, 'interceptors' | 'sinks'>> {
  return {
    interceptors: {
      ...(bundled ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
      ...(tracing
        ? {
            activity: [
              (ctx) => ({
                inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
                outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
              }),
            ],
          }
        : {}),
    },
    sinks: {
      exporter: tracing
        ? makeWorkflowExporter(tracing.spanProcessor, tracing.resource)
        : makeWorkflowExporter(new NoopSpanProcessor(), Resource.empty()),
    },
  };
}
