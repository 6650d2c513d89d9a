/**
 * The launchers' half of Worker Versioning (workers/versioning.ts): once a new build's workers
 * poll, its version becomes the deployment's current one, so new workflows (and the AUTO_UPGRADE
 * ones at their next task) go to it while PINNED ones finish on the build that started them. What
 * `temporal worker deployment set-current-version` does for an operator (docs/operations.md,
 * "Releases and worker versioning").
 */
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { Connection, type WorkflowService } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { temporalConnectionOptions } from '../platform/temporal-connection';
import { loadWorkerConfig } from '../workers/config';
import { workerVersion } from '../workers/versioning';

const DrainageStatus = temporal.api.enums.v1.VersionDrainageStatus;

export interface DeploymentTarget {
  workflowService: WorkflowService;
  namespace: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Makes `version` its deployment's current version, retrying while the server has not seen its
 * workers poll yet (it refuses a version without pollers). Resolves at once when it already is.
 */
export async function makeVersionCurrent(
  target: DeploymentTarget,
  version: WorkerDeploymentVersion,
  { timeoutMs = 60_000, identity = 'commerce-launcher' }: { timeoutMs?: number; identity?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await currentBuildId(target, version.deploymentName)) === version.buildId) return;
    try {
      await target.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: target.namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity,
      });
      return;
    } catch (error) {
      // Not found / no pollers yet: the version's workers have not reached the server.
      if (Date.now() > deadline)
        throw new Error(
          `could not make ${version.deploymentName}/${version.buildId} current within ${timeoutMs} ms: ${(error as Error).message}`,
          { cause: error },
        );
      await sleep(250);
    }
  }
}

/** The build id of the deployment's current version; undefined when none is set or it does not exist yet. */
async function currentBuildId(target: DeploymentTarget, deploymentName: string): Promise<string | undefined> {
  try {
    const { workerDeploymentInfo } = await target.workflowService.describeWorkerDeployment({
      namespace: target.namespace,
      deploymentName,
    });
    return workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId || undefined;
  } catch {
    return undefined;
  }
}

/**
 * For a launcher that has just started workers with `env`: makes their version current (once they
 * poll) and returns it; undefined, doing nothing, with WORKER_VERSIONING=off.
 */
export async function makeWorkersCurrent(
  env: NodeJS.ProcessEnv | undefined,
  options: { timeoutMs?: number } = {},
): Promise<WorkerDeploymentVersion | undefined> {
  const config = loadWorkerConfig(env);
  const version = workerVersion(config);
  if (!version) return undefined;
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    await makeVersionCurrent(
      { workflowService: connection.workflowService, namespace: config.TEMPORAL_NAMESPACE },
      version,
      options,
    );
    return version;
  } finally {
    await connection.close();
  }
}

export type Drainage = 'unknown' | 'draining' | 'drained';

/**
 * Whether a version that is no longer current still has open PINNED workflows (`draining`) or has
 * none left (`drained`: its workers may go). The server refreshes this from visibility
 * periodically (matching.wv.VersionDrainageStatusRefreshInterval), not at each close.
 */
export async function versionDrainage(target: DeploymentTarget, version: WorkerDeploymentVersion): Promise<Drainage> {
  const { workerDeploymentVersionInfo } = await target.workflowService.describeWorkerDeploymentVersion({
    namespace: target.namespace,
    deploymentVersion: { deploymentName: version.deploymentName, buildId: version.buildId },
  });
  switch (workerDeploymentVersionInfo?.drainageInfo?.status) {
    case DrainageStatus.VERSION_DRAINAGE_STATUS_DRAINING:
      return 'draining';
    case DrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED:
      return 'drained';
    default:
      return 'unknown';
  }
}

/**
 * `node dist/app/tooling/worker-deployment.js`, with a worker's environment: waits until that
 * configuration's workers poll, then makes their build current (docker-compose.yml's
 * `worker-release`). With `build-id` it only prints the build id that configuration's workers poll
 * as (in the image: that of its bundle), which a release names its worker Deployment after.
 */
if (require.main === module) {
  const printOnly = process.argv[2] === 'build-id';
  const done = printOnly
    ? Promise.resolve(console.log(workerVersion(loadWorkerConfig())?.buildId ?? 'WORKER_VERSIONING=off'))
    : // undefined: the worker's own config reads this process's environment.
      makeWorkersCurrent(undefined, { timeoutMs: 600_000 }).then((version) =>
        console.log(
          version
            ? `build ${version.buildId} is the current version of ${version.deploymentName}`
            : 'WORKER_VERSIONING=off: nothing to do',
        ),
      );
  done.catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
