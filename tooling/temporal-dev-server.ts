/**
 * Starts `temporal server start-dev` (the provisioned CLI) with this project's search attributes
 * and waits until it answers. Used by `npm start` (persistent, with the Web UI) and by the tests
 * (in memory, headless, on free ports).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { TEMPORAL_CLI } from './paths';
import { stopProcess } from './processes';

/**
 * For a file-backed server: write-ahead logging, and fsync at checkpoints rather than at every
 * commit. A killed server process loses nothing (the WAL is in the OS's hands); only a crash of the
 * machine itself may lose the last commits, an acceptable risk for a development server. Without
 * them SQLite's rollback journal syncs every transaction, and the file made the dev server the
 * bottleneck of `npm start` (docs/performance.md#sqlite-pragmas).
 */
const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

/**
 * One partition per task queue instead of four. Partitions spread a queue over matching hosts; a
 * dev server is one host, and there they only add forwarding of polls and tasks between
 * partitions (figures: docs/performance.md#task-queue-partitions). A production cluster
 * keeps its own partition settings (deploy/ does not set them).
 */
const PARTITIONS = ['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'];

/**
 * Worker Versioning (workers/versioning.ts) is on in server 1.32 without flags; these only make a
 * retired version's drainage status (workflows still pinned to it, or none: its workers may go)
 * refresh within seconds instead of the production default of minutes, so the launchers and the
 * versioning drill see a drained build promptly. A production cluster keeps its defaults.
 */
const VERSION_DRAINAGE = [
  'matching.wv.VersionDrainageStatusRefreshInterval="2s"',
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod="2s"',
];

const DYNAMIC_CONFIG = [...PARTITIONS, ...VERSION_DRAINAGE];

export interface DevServerOptions {
  port: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  /** SQLite file for persistence across restarts; omit for an in-memory server. */
  dbFile?: string;
  namespace?: string;
  /** Where the server's own output goes; defaults to discarding it (it is verbose). */
  onOutput?: (line: string) => void;
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  if (!existsSync(TEMPORAL_CLI)) {
    throw new Error(
      `Temporal CLI not found at ${TEMPORAL_CLI}: run tooling/provision-temporal.sh (npm start and npm test do)`,
    );
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace ?? 'default',
    '--log-level',
    'warn',
    ...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.dbFile === undefined
      ? []
      : ['--db-filename', options.dbFile, ...SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p])]),
    ...CUSTOM_SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=${a.type}`]),
    ...DYNAMIC_CONFIG.flatMap((v) => ['--dynamic-config-value', v]),
  ];
  const child = spawn(TEMPORAL_CLI, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const address = `127.0.0.1:${options.port}`;
  const stop = (): Promise<void> => stopProcess(child, 10_000);

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal server exited (${child.exitCode}):\n${output.join('\n')}`);
    if (await answers(address)) return { address, process: child, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`temporal server did not answer on ${address} within 60 s:\n${output.join('\n')}`);
}

/** True when a Temporal frontend answers at `address`. */
export async function answers(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.workflowService.getSystemInfo({});
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
