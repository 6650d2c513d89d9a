/**
 * Temporal dev server stopped and restarted on its SQLite file. While it is down the API cannot
 * start checkouts (clients retry) and workers cannot poll; afterwards every workflow must carry on
 * from its history, and the workers must have survived the outage on their own.
 */
import path from 'node:path';
import { bootStack, closeBooks, probeReady, recovery, sleep, startStream, type Drill } from '../drill';

const DOWN_MS = 12_000;

export const temporalRestart: Drill = {
  name: 'temporal-restart',
  async run(ctx) {
    const stack = await bootStack(ctx, this.name, {
      workers: 1,
      temporalDbFile: path.join(ctx.workDir, 'temporal.sqlite'),
    });
    try {
      const problems: string[] = [];
      const stream = startStream(stack, 3);
      await sleep(12_000);
      await stack.stopTemporal();
      await sleep(2_000);
      const down = await probeReady(stack);
      if (down.status !== 503 || !down.failing.includes('temporal')) {
        problems.push(
          `/readyz with Temporal down answered ${down.status} (failing: ${down.failing.join(',') || '-'}), expected 503 naming temporal`,
        );
      }
      await sleep(DOWN_MS - 2_000);
      await stack.startTemporal();
      const restartedAt = Date.now();
      await stack.waitReady(60_000).catch(() => problems.push('/readyz not 200 within 60 s of the restart'));
      await sleep(15_000);
      await stream.stop();
      const books = await closeBooks(stack, stream.outcomes);
      for (const [name, child] of stack.processes) {
        if (child.exitCode !== null || child.signalCode !== null)
          problems.push(`${name} exited during the outage (${child.signalCode ?? child.exitCode})`);
      }
      const retried = stream.outcomes.filter((o) => o.attempts > 1).length;
      const { firstS, backlogS } = recovery(stream.outcomes, restartedAt);
      return {
        books,
        notes: `server down ${DOWN_MS / 1000} s, ${retried} checkouts retried; after the restart first accepted in ${firstS} s, all earlier ones in ${backlogS} s`,
        problems,
      };
    } finally {
      await stack.stop();
    }
  },
};
