/**
 * `npm start`'s own stack (tooling/dev-stack.ts, on moved ports, the drills' private PostgreSQL and
 * Redis and a Temporal dev server of the drill's) under a worker `kill -9` while checkouts arrive:
 * the launcher restarts the worker and leaves the API serving, every checkout sent meanwhile is
 * accepted (202: it waits in Temporal for the worker) and ends paid. Then SIGTERM to the launcher
 * still stops everything.
 */
import { writeSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { PAID_STATUSES } from '../../../domain/order-statuses';
import { createPrismaClient } from '../../../prisma/client';
import { SEED_PRODUCTS, SEED_USERS } from '../../../prisma/seed';
import { freePort } from '../../../tooling/ports';
import { launch, waitForHttp } from '../../../tooling/processes';
import { startDevServer } from '../../../tooling/temporal-dev-server';
import { checkBooks } from '../books';
import { sleep, type Drill } from '../drill';
import { CheckoutStream } from '../load';
import { waitForRest } from '../settle';

const SKU = 'STICKER-PACK';
const KILLS = 2;

/** The launcher's worker process: its child running workers/main (through `nice`, which execs). */
async function workerPidOf(launcherPid: number): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 (after the parenthesised command, which may hold spaces) is the parent's pid.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== launcherPid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (/workers\/main\.(js|ts)/.test(cmdline)) return Number(entry);
  }
  return undefined;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login of ${email}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export const npmStartWorkerKill: Drill = {
  name: 'npm-start-worker-kill',
  async run(ctx) {
    const [apiPort, smtpPort, mailUiPort, uiPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const temporal = await startDevServer({ port: await freePort() });
    const databaseUrl = new URL(ctx.postgres.url);
    databaseUrl.pathname = '/faults_npm_start';
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    const lines: string[] = [];
    const stack = launch('tooling/dev-stack.ts', {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl.toString(),
        REDIS_URL: ctx.redis.url,
        REDIS_KEY_PREFIX: `faults-npm-start:${process.pid}:`,
        // The drill's dev server: the launcher reuses it (and keeps no state in .data/).
        TEMPORAL_ADDRESS: temporal.address,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        MAIL_UI_PORT: String(mailUiPort),
        TEMPORAL_UI_PORT: String(uiPort),
        METRICS_PORT: '0',
        WORKER_METRICS_PORT: '0',
        WORKER_COUNT: '1',
        // Two seeded customers stand for many shoppers: per-customer caps would refuse the stream.
        CHECKOUT_RATE_LIMIT_PER_MINUTE: '1000000',
        MAX_UNPAID_ORDERS_PER_CUSTOMER: '1000',
        LOG_LEVEL: 'warn',
      },
      output: (line) => {
        lines.push(line);
        writeSync(ctx.outputFd, `${line}\n`);
      },
    });
    const launcherPid = stack.child.pid!;
    const problems: string[] = [];
    const connection = await Connection.connect({ address: temporal.address });
    const db = createPrismaClient({ databaseUrl: databaseUrl.toString(), poolSize: 2 });
    try {
      await waitFor('the launcher did not report the API up', 300_000, async () =>
        lines.some((l) => l.includes('[stack] API on')) ? true : stack.child.exitCode === null ? undefined : false,
      ).then((up) => {
        if (!up) throw new Error(`the launcher exited before the API was up:\n${lines.slice(-20).join('\n')}`);
      });
      await waitForHttp(`${baseUrl}/readyz`, 60_000);
      const customers = SEED_USERS.filter((u) => u.role === 'customer');
      const customerTokens = await Promise.all(customers.map((u) => login(baseUrl, u.email, u.password)));
      const stream = new CheckoutStream({
        baseUrl,
        customerTokens,
        ratePerSecond: 3,
        pick: () => ({ token: 'tok_visa', sku: SKU, quantity: 1 }),
      });
      stream.start();
      const downtimes: { from: number; to: number }[] = [];
      await sleep(5_000);
      for (let k = 0; k < KILLS; k++) {
        const pid = await waitFor('no worker process of the launcher', 30_000, () => workerPidOf(launcherPid));
        process.kill(pid, 'SIGKILL');
        const from = Date.now();
        const next = await waitFor('the worker was not restarted', 60_000, async () => {
          const now = await workerPidOf(launcherPid);
          return now !== undefined && now !== pid ? now : undefined;
        });
        downtimes.push({ from, to: Date.now() });
        if (stack.child.exitCode !== null) problems.push('the launcher exited after the worker was killed');
        await sleep(8_000);
        if ((await workerPidOf(launcherPid)) !== next)
          problems.push(`the restarted worker (pid ${next}) did not stay up`);
      }
      await stream.stop();

      const during = stream.outcomes.filter((o) => downtimes.some((d) => o.sentAt >= d.from && o.sentAt <= d.to));
      const notAcceptedAtOnce = during.filter((o) => o.statuses[0] !== 202);
      if (during.length === 0)
        problems.push('no checkout was sent while the worker was down: the drill tested nothing');
      if (notAcceptedAtOnce.length > 0)
        problems.push(
          `${notAcceptedAtOnce.length} of ${during.length} checkouts sent while the worker was down were not answered 202 at once`,
        );
      if (!lines.some((l) => /worker-1 exited \(SIGKILL\).*restarting it/.test(l)))
        problems.push('the launcher did not log the worker restart');

      const client = new Client({ connection });
      const rest = await waitForRest(db, client, 120_000);
      const books = await checkBooks({
        db,
        temporal: client,
        initialStock: new Map(SEED_PRODUCTS.map((p) => [p.sku, p.initialOnHand])),
        checkouts: stream.outcomes,
        allowedStatuses: () => PAID_STATUSES,
        rest,
      });

      // Ctrl-C still stops everything: the launcher, its worker and its API.
      const worker = await workerPidOf(launcherPid);
      stack.child.kill('SIGTERM');
      const exited = await Promise.race([stack.exited.then(() => true), sleep(30_000).then(() => false)]);
      if (!exited) problems.push('the launcher did not stop within 30 s of SIGTERM');
      const apiAnswers = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
        () => true,
        () => false,
      );
      if (apiAnswers) problems.push('the API still answers after the launcher stopped');
      if (worker !== undefined && (await readFile(`/proc/${worker}/stat`, 'utf8').catch(() => null)) !== null)
        problems.push(`the worker (pid ${worker}) outlived the launcher`);

      const downS = downtimes.map((d) => ((d.to - d.from) / 1000).toFixed(1)).join('+');
      return {
        books,
        notes: `worker killed ${KILLS}x (back after ${downS} s), ${during.length} checkouts sent meanwhile, all 202: ${notAcceptedAtOnce.length === 0}`,
        problems,
      };
    } finally {
      await stack.stop(15_000);
      await db.$disconnect();
      await connection.close();
      await temporal.stop();
    }
  },
};
