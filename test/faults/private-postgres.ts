/**
 * A private PostgreSQL cluster for the fault drills: the machine's shared server serves other work
 * (and CI), so a drill that freezes PostgreSQL must freeze only its own. Created with initdb in a
 * temporary directory, served on loopback with trust auth, removed by `stop`.
 *
 * initdb and postgres refuse to run as root; as root they run as the `postgres` OS user (the
 * server packages create it), otherwise as whoever runs the drills.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface PrivatePostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`; stacks replace the database name. */
  url: string;
  /** SIGSTOP to the postmaster and every process it forked; returns how many were stopped. */
  pause(): number;
  /** SIGCONT to the same processes. */
  resume(): number;
  stop(): Promise<void>;
}

/** The server binaries: PG_BIN, else the newest /usr/lib/postgresql/<version>/bin, else `pg_config --bindir`. */
function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'PostgreSQL server binaries (initdb, postgres) not found: install the postgresql package or set PG_BIN',
    );
  }
}

/** uid/gid to run the server as: the `postgres` user when we are root, else ourselves (undefined). */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, but there is no `postgres` OS user to run a private PostgreSQL as');
  }
}

/** Direct children of `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, ...
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return children;
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startPrivatePostgres(options: { port: number; outputFd?: number }): Promise<PrivatePostgres> {
  const bin = binDir();
  const identity = serverIdentity();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faults-pg-'));
  if (identity) chownSync(dir, identity.uid, identity.gid);
  const dataDir = path.join(dir, 'data');
  const asServer = identity ? { uid: identity.uid, gid: identity.gid, env: { ...process.env, HOME: dir } } : {};

  execFileSync(
    path.join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    {
      ...asServer,
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  // The child is the postmaster itself (not pg_ctl), so its pid is the root of the cluster's processes.
  // fsync is off: the drills freeze PostgreSQL, they do not crash the machine under it.
  const postmaster: ChildProcess = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ],
    { ...asServer, cwd: dir, stdio: ['ignore', options.outputFd ?? 'ignore', options.outputFd ?? 'ignore'] },
  );
  const url = `postgresql://postgres@127.0.0.1:${options.port}/postgres`;
  const pid = postmaster.pid;
  if (pid === undefined) throw new Error('could not start postgres');

  const stop = async (): Promise<void> => {
    if (postmaster.exitCode === null && postmaster.signalCode === null) {
      for (const p of [pid, ...childrenOf(pid)]) signal(p, 'SIGCONT');
      await new Promise<void>((resolve) => {
        postmaster.once('exit', () => resolve());
        postmaster.kill('SIGINT'); // fast shutdown: disconnects clients, no waiting for them
        setTimeout(() => postmaster.kill('SIGKILL'), 10_000).unref();
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  while (!(await answers(url))) {
    if (postmaster.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`private PostgreSQL did not start on port ${options.port}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    pause() {
      // The postmaster first: once stopped it cannot fork a backend we would miss.
      signal(pid, 'SIGSTOP');
      const children = childrenOf(pid);
      for (const p of children) signal(p, 'SIGSTOP');
      return 1 + children.length;
    },
    resume() {
      const all = [...childrenOf(pid), pid];
      for (const p of all) signal(p, 'SIGCONT');
      return all.length;
    },
    stop,
  };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
