/**
 * Temporal's OpenTelemetry interceptors, wired the same way wherever a worker runs. Workflow code runs
 * in a sandbox: its spans leave it through the `exporter` sink, which hands them to the process's
 * span processor.
 *
 * Workflow interceptors have to be compiled into the workflow bundle, and they cost the worker CPU
 * on every workflow task even with nobody collecting the spans (docs/performance.md#tracing-interceptors).
 * So there are two bundles:
 * `<name>.js` without them (tracing off, the default) and `<name>.traced.js` with them.
 */
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from '../platform/tracing';

export const WORKFLOW_INTERCEPTOR_MODULES = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/** Where the traced twin of a bundle lives. */
export const tracedBundlePath = (bundlePath: string): string => bundlePath.replace(/(\.js)?$/, '.traced.js');

/**
 * Interceptors and sinks of a worker. `bundled`: the worker runs a pre-built bundle (the traced one
 * when tracing), whose workflow interceptors are already compiled in; otherwise they are passed as
 * modules for the worker to bundle at start.
 */
export function workerTracingOptions(
  tracing: Tracing | undefined,
  { bundled }: { bundled: boolean },
): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (!tracing) return {};
  return {
    interceptors: {
      ...(bundled ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
