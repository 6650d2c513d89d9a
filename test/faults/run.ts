/**
 * `npm run test:faults`: the fault drills. Each drill boots an isolated stack (worker(s) and API as
 * separate processes, a Temporal dev server) on a private PostgreSQL and Redis started here, drives
 * a steady stream of checkouts, injects its fault, lets the stack come to rest and checks the books
 * (test/faults/books.ts). One line per drill; the run fails only on lost or duplicated work,
 * a stuck workflow, or a documented behaviour that did not hold under the fault.
 *
 * `npm run test:faults -- api-kill redis-down` runs only the named drills.
 * Logs of the stack's processes: bench/tmp/faults/<drill>.log.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWorkflowBundle, DEFAULT_BUNDLE_PATH } from '../../workers/build-bundle';
import { ROOT, RUNS_COMPILED } from '../../tooling/paths';
import { booksLine } from './books';
import type { Drill, DrillContext } from './drill';
import { apiKill } from './drills/api-kill';
import { cancelRace } from './drills/cancel-race';
import { npmStartWorkerKill } from './drills/npm-start-worker-kill';
import { postgresPause } from './drills/postgres-pause';
import { redisDown } from './drills/redis-down';
import { temporalRestart } from './drills/temporal-restart';
import { webhooksUnderLoad } from './drills/webhooks';
import { workerSigkill } from './drills/worker-sigkill';
import { workerVersioning } from './drills/worker-versioning';
import { freePort } from '../../tooling/ports';
import { startPrivatePostgres } from './private-postgres';
import { startPrivateRedis } from './private-redis';

const DRILLS: Drill[] = [
  workerSigkill,
  temporalRestart,
  postgresPause,
  redisDown,
  apiKill,
  webhooksUnderLoad,
  cancelRace,
  workerVersioning,
  npmStartWorkerKill,
];
const MAX_PROBLEMS_SHOWN = 15;

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !DRILLS.some((d) => d.name === w));
  if (unknown.length > 0)
    throw new Error(`unknown drill(s) ${unknown.join(', ')}; known: ${DRILLS.map((d) => d.name).join(', ')}`);
  const drills = wanted.length > 0 ? DRILLS.filter((d) => wanted.includes(d.name)) : DRILLS;

  const logDir = path.join(ROOT, 'bench', 'tmp', 'faults');
  mkdirSync(logDir, { recursive: true });
  const serviceLog = openSync(path.join(logDir, 'services.log'), 'w');
  // Compiled (npm run test:faults), the stacks load the bundle `npm run build` made, as production does.
  const bundlePath = RUNS_COMPILED
    ? DEFAULT_BUNDLE_PATH
    : path.join(ROOT, 'dist', `faults-workflow-bundle-${process.pid}.js`);
  const [postgres, redis] = await Promise.all([
    freePort().then((port) => startPrivatePostgres({ port, outputFd: serviceLog })),
    freePort().then((port) => startPrivateRedis({ port, outputFd: serviceLog })),
    RUNS_COMPILED ? Promise.resolve(0) : buildWorkflowBundle(bundlePath, { traced: false }),
  ]);
  // Ctrl-C: the stack's children get the terminal's SIGINT themselves; the private services' data go too.
  const interrupted = (): void => {
    void Promise.allSettled([postgres.stop(), redis.stop()]).then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let passed = 0;
  let failed = 0;
  try {
    for (const drill of drills) {
      const logPath = path.join(logDir, `${drill.name}.log`);
      const outputFd = openSync(logPath, 'w');
      const workDir = mkdtempSync(path.join(os.tmpdir(), `faults-${drill.name}-`));
      const ctx: DrillContext = { postgres, redis, bundlePath, outputFd, workDir };
      const started = Date.now();
      try {
        const result = await drill.run(ctx);
        const problems = [...result.problems, ...result.books.problems];
        const verdict = problems.length === 0 ? 'PASS' : 'FAIL';
        const seconds = Math.round((Date.now() - started) / 1000);
        console.log(`drill ${drill.name}: ${booksLine(result.books)}; ${result.notes} (${seconds} s) — ${verdict}`);
        for (const p of problems.slice(0, MAX_PROBLEMS_SHOWN)) console.log(`    ${p}`);
        if (problems.length > MAX_PROBLEMS_SHOWN)
          console.log(`    ... and ${problems.length - MAX_PROBLEMS_SHOWN} more`);
        if (problems.length === 0) passed++;
        else failed++;
      } catch (error) {
        failed++;
        console.log(
          `drill ${drill.name}: could not run: ${(error as Error).message} — FAIL (logs: ${path.relative(ROOT, logPath)})`,
        );
      } finally {
        closeSync(outputFd);
        rmSync(workDir, { recursive: true, force: true });
      }
    }
  } finally {
    await Promise.allSettled([postgres.stop(), redis.stop()]);
    if (!RUNS_COMPILED) rmSync(bundlePath, { force: true });
    closeSync(serviceLog);
  }
  console.log(`faults: ${passed} passed, ${failed} failed`);
  if (failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
