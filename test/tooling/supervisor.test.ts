/**
 * tooling/supervisor.ts with real child processes: a process killed with SIGKILL is started again
 * after its backoff; one that keeps dying right after it starts is given up on with a log line,
 * and only then is `onGiveUp` called.
 */
import { spawn } from 'node:child_process';
import { restartDelayMs, supervise, type RestartPolicy } from '../../tooling/supervisor';
import { waitUntil } from '../support/wait';

const POLICY: RestartPolicy = { initialDelayMs: 50, maxDelayMs: 200, stableAfterMs: 2_000, maxQuickCrashes: 3 };
const node = (code: string) => () => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });

test('the backoff doubles per quick crash up to its cap', () => {
  expect([1, 2, 3, 4, 5].map((n) => restartDelayMs(POLICY, n))).toEqual([50, 100, 200, 200, 200]);
});

test('a killed process is started again; stopping ends the supervision', async () => {
  let stopping = false;
  const logs: string[] = [];
  let gaveUp = false;
  const supervised = supervise('sleeper', node('setTimeout(() => {}, 60_000)'), {
    policy: POLICY,
    log: (m) => logs.push(m),
    stopping: () => stopping,
    onGiveUp: () => (gaveUp = true),
  });
  const first = supervised.child;
  first.kill('SIGKILL');
  await waitUntil(() => (supervised.child !== first ? true : undefined), 'the restart', { timeoutMs: 5_000 });
  expect(supervised.restarts).toBe(1);
  expect(logs[0]).toMatch(/^sleeper exited \(SIGKILL\) after .* s; restarting it in 50 ms/);
  expect(supervised.child.exitCode).toBeNull();

  stopping = true;
  const second = supervised.child;
  second.kill('SIGTERM');
  await new Promise((r) => second.once('exit', r));
  await new Promise((r) => setTimeout(r, 300));
  expect(supervised.child).toBe(second);
  expect(gaveUp).toBe(false);
});

test('a process that keeps crashing at start is given up on after the allowed crashes', async () => {
  const logs: string[] = [];
  let gaveUp = 0;
  const supervised = supervise('crasher', node('process.exit(3)'), {
    policy: POLICY,
    log: (m) => logs.push(m),
    stopping: () => false,
    onGiveUp: () => gaveUp++,
  });
  await waitUntil(() => (gaveUp > 0 ? true : undefined), 'giving up', { timeoutMs: 10_000 });
  expect(supervised.restarts).toBe(POLICY.maxQuickCrashes - 1);
  expect(logs).toHaveLength(POLICY.maxQuickCrashes);
  expect(logs.at(-1)).toMatch(/^crasher exited \(3\) .*3 crashes in a row.*giving up on crasher$/);
  await new Promise((r) => setTimeout(r, 500));
  expect(gaveUp).toBe(1);
  expect(supervised.restarts).toBe(POLICY.maxQuickCrashes - 1);
});
