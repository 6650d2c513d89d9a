/**
 * Keeps one process of `npm start`'s stack running: when it dies on its own (a crash, `kill -9`),
 * it is started again after a backoff that doubles up to a cap, while the other processes keep
 * serving (a checkout the API accepts meanwhile waits in Temporal's task queue for a worker). A
 * process that keeps dying right after it starts is given up on, and `onGiveUp` decides what then
 * (the launcher stops the stack: restarting a process that cannot start only hides why).
 */
import type { ChildProcess } from 'node:child_process';

export interface RestartPolicy {
  /** The wait before the first restart; each quick crash in a row doubles it. */
  initialDelayMs: number;
  /** The longest wait between restarts. */
  maxDelayMs: number;
  /** A run at least this long was healthy: its crash starts the count (and the backoff) afresh. */
  stableAfterMs: number;
  /** Crashes in a row, each within `stableAfterMs` of its start, after which the process is given up on. */
  maxQuickCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  stableAfterMs: 30_000,
  maxQuickCrashes: 5,
};

export interface SuperviseOptions {
  policy?: RestartPolicy;
  log(message: string): void;
  /** True once the launcher is stopping everything: an exit then is expected, never restarted. */
  stopping(): boolean;
  /** Called once, after the process was given up on. */
  onGiveUp(): void;
}

export interface Supervised {
  name: string;
  /** The process running now (after a restart, the new one). */
  readonly child: ChildProcess;
  /** How many times it was restarted. */
  readonly restarts: number;
}

/** The wait before restart number `quickCrashes` of a run of quick crashes (1-based), capped. */
export function restartDelayMs(policy: RestartPolicy, quickCrashes: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, quickCrashes - 1));
}

export function supervise(name: string, start: () => ChildProcess, options: SuperviseOptions): Supervised {
  const policy = options.policy ?? DEFAULT_RESTART_POLICY;
  let quickCrashes = 0;
  let restarts = 0;
  let child: ChildProcess;

  const run = (): void => {
    const startedAt = Date.now();
    child = start();
    child.once('exit', (code, signal) => {
      if (options.stopping()) return;
      const ranMs = Date.now() - startedAt;
      quickCrashes = ranMs < policy.stableAfterMs ? quickCrashes + 1 : 1;
      const how = `${name} exited (${signal ?? code}) after ${(ranMs / 1000).toFixed(1)} s`;
      if (ranMs < policy.stableAfterMs && quickCrashes >= policy.maxQuickCrashes) {
        options.log(
          `${how}: ${quickCrashes} crashes in a row, each within ${policy.stableAfterMs / 1000} s of starting; giving up on ${name}`,
        );
        options.onGiveUp();
        return;
      }
      const delay = restartDelayMs(policy, quickCrashes);
      options.log(`${how}; restarting it in ${delay} ms (the other processes keep running)`);
      setTimeout(() => {
        if (options.stopping()) return;
        restarts++;
        run();
      }, delay);
    });
  };
  run();

  return {
    name,
    get child() {
      return child;
    },
    get restarts() {
      return restarts;
    },
  };
}
