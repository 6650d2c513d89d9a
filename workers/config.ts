/** Environment of the worker process, parsed once at start-up; nothing else reads process.env. */
import { z } from 'zod';
import { parseEnv, refineProviders, sharedEnvShape } from '../platform/env';
import { refineTemporalTls } from '../platform/temporal-connection';

export const workerEnvSchema = z
  .object({
    ...sharedEnvShape,
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
    /** The SDK's own shutdown grace: activities still running after it are cancelled and handed back. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
    /** Minutes an unpaid checkout may hold stock before the expiry sweep returns it. */
    RESERVATION_TTL_MINUTES: z.coerce.number().int().min(1).default(45),
    WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(100),
    /**
     * Workflow tasks the worker holds at once. Every task it holds keeps its activation, its local
     * activities and their buffers in memory, and starts its timeout as it is handed over: past what
     * one workflow thread runs in time, more only wait inside the worker instead of in the server's
     * queue. 40 is the SDK's own default; against 100 it lowered the worker's peak memory under
     * overload with throughput inside the spread of repeats (docs/performance.md#worker-slots-and-connection-pools).
     */
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(1).default(40),
    /**
     * Workflow executions kept in the worker's sticky cache (replay avoided for those). Bounded because
     * every paid order leaves a shipment workflow open for days, and the SDK's default sizes the cache
     * from the heap limit, which lets a busy worker's memory grow without bound. 250 holds every
     * workflow in flight (at most 40 tasks at once, above) and bounded the peak under checkout load
     * better than 500; what it costs is a replay when a long-sleeping workflow wakes
     * (docs/performance.md#sticky-cache).
     */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(250),
    /** Simulated payment provider only: milliseconds each charge takes to answer (a real PSP's round trip). */
    SIM_PAYMENT_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
    /** Pre-built workflow bundle (npm run build:workflows); without it the worker bundles at start. */
    WORKFLOW_BUNDLE_PATH: z.string().optional(),
    /**
     * Worker Versioning (workers/versioning.ts): `on` polls as one version of WORKER_DEPLOYMENT_NAME,
     * so a workflow pinned to a release never runs another release's code; `off` polls unversioned
     * (the time-skipping test server has no deployments).
     */
    WORKER_VERSIONING: z.enum(['on', 'off']).default('on'),
    /** The Worker Deployment every release of these workers belongs to (one per task queue's set of workflows). */
    WORKER_DEPLOYMENT_NAME: z
      .string()
      .min(1)
      .max(255)
      .regex(
        /^[^.:\s]+$/,
        'no dots, colons or spaces (the server writes a version as name and build id joined by them)',
      )
      .default('commerce'),
    /**
     * This release's build id. Unset: the package version and the content hash of the workflow
     * bundle (workerBuildId), so it changes exactly when the workflow code does.
     */
    WORKER_BUILD_ID: z.string().min(1).max(255).regex(/^\S+$/, 'no spaces').optional(),
    /** SMTP server customer emails go out through (docs/api.md#notifications); tooling/mail-catcher.ts is a local one. */
    SMTP_URL: z
      .string()
      .url()
      .refine((u) => /^smtps?:$/.test(new URL(u).protocol), 'must be an smtp:// or smtps:// URL')
      .default('smtp://127.0.0.1:1025'),
    /** The From header of customer emails. */
    MAIL_FROM: z.string().min(3).default('Temporal Commerce <shop@commerce.local>'),
    /** Base of the links in customer emails: where shoppers reach the storefront the API serves. */
    STOREFRONT_URL: z
      .string()
      .url()
      .transform((url) => url.replace(/\/+$/, ''))
      .default('http://localhost:3000'),
  })
  .superRefine((env, ctx) => {
    refineTemporalTls(env, ctx);
    refineProviders(env, ctx);
  });

export type WorkerConfig = z.infer<typeof workerEnvSchema>;

/** The Worker options the configuration sets, for every worker process that reads this configuration. */
export function workerTuning(config: WorkerConfig) {
  return {
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    shutdownGraceTime: config.SHUTDOWN_GRACE_MS,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
  } as const;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseEnv(workerEnvSchema, env);
}
