import { existsSync } from 'node:fs';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities';
import type { Tracing } from '../platform/tracing';
import { tracedBundlePath, workerTracingOptions } from './tracing-interceptors';
import { deploymentOptions } from './versioning';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activityDependencies: ActivityDependencies;
  /** Path of a pre-built bundle (production); when absent, workflows/ is bundled now (dev, tests). */
  workflowBundlePath?: string | undefined;
  tuning?: Pick<
    WorkerOptions,
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'maxCachedWorkflows'
    | 'shutdownGraceTime'
  >;
  /** Set when OpenTelemetry is on: activities and workflows then join the caller's trace. */
  tracing?: Tracing | undefined;
  /** The Worker Deployment version to poll as (workers/versioning.ts); unset: unversioned. */
  version?: WorkerDeploymentVersion | undefined;
}

/** One place that wires workflows and activities into a worker, for the process and for tests. */
export function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  // Tracing needs the bundle with the workflow interceptors; without its twin on disk, bundle at start.
  const given = options.workflowBundlePath;
  const traced = given && options.tracing ? tracedBundlePath(given) : undefined;
  const bundlePath = options.tracing ? (traced && existsSync(traced) ? traced : undefined) : given;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities(options.activityDependencies),
    ...workerTracingOptions(options.tracing, { bundled: Boolean(bundlePath) }),
    ...options.tuning,
    ...(options.version ? { workerDeploymentOptions: deploymentOptions(options.version) } : {}),
  });
}
