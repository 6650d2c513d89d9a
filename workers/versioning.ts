/**
 * Worker Versioning: every worker polls as one version (deployment name + build id) of the
 * WORKER_DEPLOYMENT_NAME Worker Deployment. Temporal routes a new workflow to the deployment's
 * current version and keeps it there (PINNED, the default here) until it closes, so a short
 * workflow only ever runs the code that started it and a release needs no patch for it. The
 * long-lived workflows declare AUTO_UPGRADE in their own modules: they move to each new current
 * version at their next workflow task, and changes to them are patched (docs/operations.md,
 * "Releases and worker versioning").
 *
 * Workers never make their own version current: the launcher (tooling/worker-deployment.ts) or the
 * operator (`temporal worker deployment set-current-version`) does, once the new workers poll.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { z } from 'zod';
import { repositoryRoot } from '../platform/repository-root';
import type { WorkerConfig } from './config';

type VersioningConfig = Pick<
  WorkerConfig,
  'WORKER_VERSIONING' | 'WORKER_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID' | 'WORKFLOW_BUNDLE_PATH'
>;

const packageVersion = (): string =>
  z
    .object({ version: z.string().min(1) })
    .parse(JSON.parse(readFileSync(path.join(repositoryRoot(__dirname), 'package.json'), 'utf8'))).version;

/**
 * The default build id of the workers that load `bundlePath`: `<package version>-<12 hex digits of
 * the bundle's SHA-256>`. The bundle is every line of workflow code a worker runs (activities are
 * not in it), so two releases get different versions exactly when their workflow code differs, and
 * a release that only changes activities keeps its version (a plain rolling update is then safe).
 * The traced twin is built from the same sources at the same time, so the plain bundle names both.
 */
export function workerBuildId(bundlePath: string): string {
  const digest = createHash('sha256').update(readFileSync(bundlePath)).digest('hex').slice(0, 12);
  return `${packageVersion()}-${digest}`;
}

/** The version these workers poll as, or undefined with WORKER_VERSIONING=off. */
export function workerVersion(config: VersioningConfig): WorkerDeploymentVersion | undefined {
  if (config.WORKER_VERSIONING === 'off') return undefined;
  const buildId =
    config.WORKER_BUILD_ID ?? (config.WORKFLOW_BUNDLE_PATH ? workerBuildId(config.WORKFLOW_BUNDLE_PATH) : undefined);
  if (!buildId)
    throw new Error(
      'invalid configuration:\n  WORKER_BUILD_ID: required with WORKER_VERSIONING=on when no WORKFLOW_BUNDLE_PATH names the build',
    );
  return { deploymentName: config.WORKER_DEPLOYMENT_NAME, buildId };
}

/** The Worker option of `version`: PINNED unless a workflow declares otherwise (setWorkflowOptions). */
export function deploymentOptions(version: WorkerDeploymentVersion): WorkerDeploymentOptions {
  return { useWorkerVersioning: true, version, defaultVersioningBehavior: 'PINNED' };
}
