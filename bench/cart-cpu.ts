/**
 * `node --import tsx bench/cart-cpu.ts`: where the CPU of one add-to-cart and one cart read goes,
 * as bench/cpu-split.ts does for the checkout. Sends BENCH_CART_ADDS adds (default 4000) and as many
 * reads with 50 connections, the cart phase's shoppers (./cart-load.ts), against a bench stack, and
 * prints the CPU milliseconds per request of the API, the worker, the Temporal dev server and the
 * stack's own PostgreSQL backends (from /proc: utime + stime). CPU per request, unlike requests per
 * second, hardly moves when other work shares the machine. BENCH_API_ENV (JSON) sets variables of
 * the stack. A tuning aid, not part of `npm run bench`.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pidsMatching } from '../tooling/processes';
import { startBenchStack } from '../tooling/stack';
import { tokenSigning } from '../tooling/bench-customers';
import { inheritedEnv } from '../tooling/stack-env';
import { loadBenchEnv } from './bench-env';
import { prepareShopping, run } from './cart-load';
import { describeMachine, probeMachine } from './machine-probe';
import { takePeakRssMiB } from './rss';

const TICKS_PER_SECOND = 100;
const CONNECTIONS = 50;

/** CPU time of a process so far; 0 once it is gone (a pool may replace a backend mid-run: its share is lost). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

async function main(): Promise<void> {
  const { BENCH_CART_ADDS: adds, BENCH_API_ENV: apiEnv } = loadBenchEnv();
  // The reminder timers the adds start finish their first workflow task after the answers.
  const trailMs = 5_000;
  console.log(`machine: ${describeMachine(await probeMachine())}`);
  const secret = `bench-${randomUUID()}-${randomUUID()}`;
  const databaseName = `commerce_bench_cart_cpu_${process.pid}`;
  const stack = await startBenchStack({
    apiPort: 3192,
    temporalPort: 7392,
    databaseName,
    apiEntry: 'bench/api-entry.ts',
    env: {
      ...apiEnv,
      JWT_SECRET: secret,
    },
  });
  try {
    const shopping = await prepareShopping(stack, tokenSigning(inheritedEnv(), secret));
    const url = `${stack.baseUrl}/`;
    // Warm (JIT, pools), then one measured batch each of adds and reads.
    await run(url, CONNECTIONS, { amount: 500 }, (r) => shopping.add(r));
    await run(url, CONNECTIONS, { amount: 500 }, (r) => shopping.read(r));
    const apiPid = stack.processes.get('api')!.pid!;
    const groups = async (): Promise<Record<string, number[]>> => ({
      api: [apiPid],
      worker: [stack.processes.get('worker-1')!.pid!],
      temporal: await pidsMatching(/temporal server start-dev .*--port 7392/),
      // Only this stack's backends: the machine's PostgreSQL may serve others too.
      postgres: await pidsMatching(new RegExp(`^postgres: .* ${databaseName} `)),
    });
    /** CPU ms so far of each pid of each group. */
    const sample = async (pids: Record<string, number[]>): Promise<Record<string, Map<number, number>>> =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(pids).map(
            async ([k, p]) =>
              [k, new Map(await Promise.all(p.map(async (pid) => [pid, await cpuMs(pid)] as const)))] as const,
          ),
        ),
      );
    /** CPU spent between two samples: a process that started in between counts whole, one that ended is lost. */
    const spent = (before: Map<number, number>, after: Map<number, number>): number =>
      [...after].reduce((sum, [pid, ms]) => sum + (ms > 0 ? ms - (before.get(pid) ?? 0) : 0), 0);
    for (const [what, next] of [
      ['add', (r: Parameters<typeof shopping.add>[0]) => shopping.add(r)],
      ['read', (r: Parameters<typeof shopping.read>[0]) => shopping.read(r)],
    ] as const) {
      const before = await sample(await groups());
      // The API's peak over this batch alone.
      await takePeakRssMiB(apiPid);
      const figures = await run(url, CONNECTIONS, { amount: adds }, next);
      // The worker's and Temporal's share of an add (the reminder timer) trails the answers.
      await new Promise((resolve) => setTimeout(resolve, what === 'add' ? trailMs : 3_000));
      // Pools replace connections: PostgreSQL's backends are listed again.
      const after = await sample(await groups());
      const per = Object.keys(after).map((k) => `${k} ${(spent(before[k]!, after[k]!) / figures.requests).toFixed(2)}`);
      console.log(
        `${what}: ${figures.requests} requests, ${figures.reqPerSec} req/s, p99 ${figures.latencyP99Ms} ms, ${figures.non2xx} non-2xx; CPU ms per request: ${per.join(', ')}; API peak RSS ${await takePeakRssMiB(apiPid)} MiB`,
      );
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
