import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { API_NODE_FLAGS } from '../api/node-flags';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../workers/node-flags';
import { BUILD_DIR, ROOT, RUNS_COMPILED } from './paths';
import { loadStackEnv } from './stack-env';

/** Asks a child to stop (SIGTERM, so it can drain), forces it after `graceMs`, resolves on exit. */
export function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    timer.unref();
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The Node arguments that run a TypeScript entry point (`api/server.ts`): its compiled twin under
 * dist/app when this process runs compiled (`npm run build` made it), the source through tsx when not.
 */
export function entryArgs(script: string): string[] {
  return RUNS_COMPILED ? [path.join(BUILD_DIR, script.replace(/\.tsx?$/, '.js'))] : ['--import', 'tsx', script];
}

/**
 * The command that runs a TypeScript entry point with Node (see `entryArgs`), at CPU niceness
 * `nice` (0: as is).
 * On one shared machine the launchers run workers at a lower priority than the API: a customer
 * waits for the API's answer, while the workers' backlog waits durably in Temporal's task queues.
 * Figures: docs/performance.md#worker-niceness.
 *
 * PROF_DIR=<dir> (tuning aid): every process launched this way writes V8 CPU profiles there when it
 * exits (one per thread; open them in Chrome DevTools). Node refuses --cpu-prof in NODE_OPTIONS.
 */
export function nodeCommand(script: string, nice = 0, nodeFlags: readonly string[] = []): [string, string[]] {
  const { PROF_DIR } = loadStackEnv();
  const profile = PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROF_DIR] : [];
  const node = [process.execPath, ...nodeFlags, ...profile, ...entryArgs(script)];
  return nice > 0 ? ['nice', ['-n', String(nice), ...node]] : [node[0]!, node.slice(1)];
}

/**
 * Pids of this machine's processes (this one excepted) whose command line, its arguments joined by
 * spaces, matches `pattern`: how the bench tools find processes they did not start.
 */
export async function pidsMatching(pattern: RegExp): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (pattern.test(cmdline.replaceAll('\0', ' '))) pids.push(Number(entry));
  }
  return pids;
}

/** Resolves once `url` answers 2xx (each try bounded to 5 s); throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * The V8 flags and the environment a process of `role` runs with (api/node-flags.ts,
 * workers/node-flags.ts), for every launcher of an API or a worker. A variable `env` already sets
 * wins over the role's (BENCH_WORKER_ENV may try another malloc setting).
 */
export function roleRuntime(
  role: 'api' | 'worker',
  env: NodeJS.ProcessEnv,
): { env: NodeJS.ProcessEnv; nodeFlags: readonly string[] } {
  return role === 'worker'
    ? { env: { ...WORKER_PROCESS_ENV, ...env }, nodeFlags: WORKER_NODE_FLAGS }
    : { env, nodeFlags: API_NODE_FLAGS };
}

export interface LaunchOptions {
  env: NodeJS.ProcessEnv;
  /** CPU niceness (0: as is); see `nodeCommand`. */
  nice?: number;
  /** Node flags before the entry point (`roleRuntime` gives an API's or a worker's). */
  nodeFlags?: readonly string[];
  /**
   * Where the child's stdout and stderr go: `lines` collects them (the handle's `lines`), a function
   * is called with each line, a number is a file descriptor to append to; default: stderr only.
   */
  output?: 'lines' | ((line: string) => void) | number;
  /** An IPC channel to the child (`process.send` in it). */
  ipc?: boolean;
}

export interface LaunchedProcess {
  child: ChildProcess;
  /** Output lines so far, with `output: 'lines'`. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (so it can drain), SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs: number): Promise<void>;
}

/**
 * The one way the platform's tools start a process of its own (a TypeScript entry point under the
 * repository root): `npm start`'s stack, the isolated bench/drill stack and the process tests.
 */
export function launch(script: string, options: LaunchOptions): LaunchedProcess {
  const { output } = options;
  const piped = output === 'lines' || typeof output === 'function';
  const streams: StdioOptions =
    typeof output === 'number'
      ? ['ignore', output, output]
      : piped
        ? ['ignore', 'pipe', 'pipe']
        : ['ignore', 'ignore', 'inherit'];
  const child = spawn(...nodeCommand(script, options.nice ?? 0, options.nodeFlags), {
    cwd: ROOT,
    env: options.env,
    stdio: options.ipc ? [...streams, 'ipc'] : streams,
  });
  const lines: string[] = [];
  if (piped) {
    const onLine = output === 'lines' ? (line: string) => void lines.push(line) : output;
    let partial = '';
    const collect = (chunk: Buffer): void => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (line) onLine(line);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, exited, stop: (graceMs) => stopProcess(child, graceMs) };
}
