/**
 * `npm start`, after tooling/ensure-deps.sh and `npm run build`: checks PostgreSQL and Redis,
 * prepares the database, starts (or reuses) a Temporal dev server with the Web UI, then runs
 * WORKER_COUNT worker processes and the API as separate processes, compiled and with
 * NODE_ENV=production as a deployment runs them (secrets of its own: tooling/local-secrets.ts; the
 * simulated payment provider). `npm run dev` runs the same from the sources through tsx, with the
 * development defaults, and bundles the workflows itself. A worker or API process that dies is
 * restarted with backoff while the others keep serving (./supervisor.ts); one that keeps dying right
 * after it starts is given up on, and then the stack stops. Ctrl-C stops every child.
 */
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { startMailCatcher, type MailCatcher } from './mail-catcher';
import { buildWorkflowBundle, DEFAULT_BUNDLE_PATH } from '../workers/build-bundle';
import { tracingConfigured } from '../platform/tracing';
import { localSecrets } from './local-secrets';
import { inheritedEnv, loadStackEnv } from './stack-env';
import { DATA_DIR, RUNS_COMPILED } from './paths';
import { launch, roleRuntime, stopProcess } from './processes';
import { setUpDatabase } from './db-setup';
import { checkServices } from './preflight';
import { supervise, type Supervised } from './supervisor';
import { answers, startDevServer, type DevServer } from './temporal-dev-server';
import { makeWorkersCurrent } from './worker-deployment';

const stackEnv = loadStackEnv();

const children: Supervised[] = [];
let devServer: DevServer | undefined;
let stopping = false;
let mailCatcher: MailCatcher | undefined;

/** A local mail catcher on SMTP_URL with its web inbox, unless an SMTP server answers there already. */
async function startLocalMail(): Promise<void> {
  const smtp = new URL(stackEnv.SMTP_URL);
  const port = Number(smtp.port || 25);
  if (await tcpAnswers(smtp.hostname, port)) {
    log(`reusing the SMTP server at ${smtp.host}`);
    return;
  }
  mailCatcher = await startMailCatcher({ smtpPort: port, uiPort: stackEnv.MAIL_UI_PORT, host: smtp.hostname });
  log(`mail catcher on ${mailCatcher.smtpUrl}, inbox http://localhost:${stackEnv.MAIL_UI_PORT}`);
}

function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function log(msg: string): void {
  console.log(`[stack] ${msg}`);
}

function run(name: string, script: string, env: NodeJS.ProcessEnv): void {
  const worker = name.startsWith('worker-');
  const start = () =>
    launch(script, {
      ...roleRuntime(worker ? 'worker' : 'api', env),
      // Workers yield the CPU to the API on this one machine (see nodeCommand).
      nice: worker ? stackEnv.WORKER_NICE : 0,
      output: (line) => console.log(`[${name}] ${line}`),
    }).child;
  children.push(
    supervise(name, start, {
      log,
      stopping: () => stopping,
      onGiveUp: () => {
        log('stopping the stack');
        void shutdown(1);
      },
    }),
  );
}

async function shutdown(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping');
  await Promise.all(children.map(({ child }) => stopProcess(child, 15_000)));
  await devServer?.stop();
  await mailCatcher?.stop();
  process.exit(exitCode);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const config = stackEnv;
  await checkServices({ databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL });
  await setUpDatabase(config.DATABASE_URL);
  await startLocalMail();

  if (await answers(config.TEMPORAL_ADDRESS)) {
    log(`reusing the Temporal server at ${config.TEMPORAL_ADDRESS}`);
  } else {
    const [host, port] = config.TEMPORAL_ADDRESS.split(':');
    if ((host !== '127.0.0.1' && host !== 'localhost') || !port) {
      throw new Error(
        `no Temporal server answers at ${config.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS); start it, or unset the variable (or give a local host:port) for a dev server`,
      );
    }
    mkdirSync(DATA_DIR, { recursive: true });
    devServer = await startDevServer({
      port: Number(port),
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: path.join(DATA_DIR, 'temporal.sqlite'),
      namespace: config.TEMPORAL_NAMESPACE,
    });
    devServer.process.on('exit', () => {
      if (!stopping) {
        log('temporal dev server exited; stopping the stack');
        void shutdown(1);
      }
    });
    log(`Temporal dev server on ${devServer.address}, Web UI http://localhost:${config.TEMPORAL_UI_PORT}`);
  }

  // Compiled, `npm run build` has made the bundle and its traced twin; from the sources it is made
  // here, the traced twin (OpenTelemetry workflow interceptors) only when tracing is configured.
  if (!RUNS_COMPILED) {
    const bytes = await buildWorkflowBundle(DEFAULT_BUNDLE_PATH, { traced: tracingConfigured(inheritedEnv()) });
    log(`workflow bundle built (${Math.round(bytes / 1024)} KiB)`);
  }

  const inherited = inheritedEnv();
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    WORKFLOW_BUNDLE_PATH: DEFAULT_BUNDLE_PATH,
    // The console links to the UI of the dev server started here (on TEMPORAL_UI_PORT), unless told otherwise.
    TEMPORAL_UI_URL: config.TEMPORAL_UI_URL ?? `http://localhost:${config.TEMPORAL_UI_PORT}`,
    ...(RUNS_COMPILED
      ? {
          NODE_ENV: config.NODE_ENV ?? 'production',
          ...localSecrets(inherited),
          // Production refuses to start without PROVIDERS: the stack's API and workers run the simulators.
          PROVIDERS: config.PROVIDERS ?? 'simulated',
        }
      : {}),
  };
  // Each worker scrapes on its own port: WORKER_METRICS_PORT, the next, ... (the API's is its METRICS_PORT).
  for (let i = 1; i <= config.WORKER_COUNT; i++)
    run(`worker-${i}`, 'workers/main.ts', { ...env, METRICS_PORT: String(config.WORKER_METRICS_PORT + i - 1) });
  run('api', 'api/server.ts', env);
  // This build takes new workflows; workflows pinned to an earlier build wait for its workers.
  const version = await makeWorkersCurrent(env, { timeoutMs: 120_000 });
  if (version) log(`workers' build ${version.buildId} is current in deployment ${version.deploymentName}`);
  log(`API on http://localhost:${config.PORT} (Ctrl-C stops everything)`);
}

main().catch((error: unknown) => {
  console.error(`[stack] ${(error as Error).message}`);
  void shutdown(1);
});
