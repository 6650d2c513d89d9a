import type { ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

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
 * The command that runs a TypeScript entry point with Node, at CPU niceness `nice` (0: as is).
 * On one shared machine the launchers run workers at a lower priority than the API: a customer
 * waits for the API's answer, while the workers' backlog waits durably in Temporal's task queues.
 * Measured with `npm run bench` at 20 checkouts/s: answer p50 109 -> 49 ms, p99 393 -> 219 ms.
 *
 * PROF_DIR=<dir> (tuning aid): every process launched this way writes V8 CPU profiles there when it
 * exits (one per thread; open them in Chrome DevTools). Node refuses --cpu-prof in NODE_OPTIONS.
 */
export function nodeCommand(script: string, nice = 0): [string, string[]] {
  const profile = process.env.PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROF_DIR] : [];
  const node = [process.execPath, ...profile, '--import', 'tsx', script];
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
