/**
 * Worker SIGKILL during payment, then restart. The simulated provider answers each charge after
 * 1.5 s, so the kill lands while charges are recorded at the provider but not yet answered: the
 * retried activity must find the provider's charge (same idempotency key), never make a second.
 */
import type { BenchStack } from '../../../tooling/stack';
import { bootStack, closeBooks, sleep, startStream, type Drill } from '../drill';

const KILLS = 2;

/** Charges the provider recorded whose answer the worker has not processed yet. */
async function chargesInFlight(stack: BenchStack): Promise<number> {
  const [row] = await stack.db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM sim_payment_charges c
    WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.provider_payment_id = c.id)`;
  return Number(row?.n ?? 0);
}

export const workerSigkill: Drill = {
  name: 'worker-sigkill',
  async run(ctx) {
    const stack = await bootStack(ctx, this.name, { workers: 1, env: { SIM_PAYMENT_LATENCY_MS: '1500' } });
    try {
      const stream = startStream(stack, 4);
      const inFlight: number[] = [];
      await sleep(8_000);
      for (let k = 0; k < KILLS; k++) {
        // Kill at a moment a charge is in flight (it nearly always is at this rate).
        let n = 0;
        for (let tries = 0; tries < 50 && (n = await chargesInFlight(stack)) === 0; tries++) await sleep(100);
        await stack.killProcess('worker-1', 'SIGKILL');
        inFlight.push(n);
        await sleep(3_000);
        stack.startProcess('worker-1');
        await sleep(10_000);
      }
      await stream.stop();
      const books = await closeBooks(stack, stream.outcomes);
      const problems = inFlight.every((n) => n === 0)
        ? ['no charge was in flight at any kill: the drill did not test what it claims']
        : [];
      return { books, notes: `killed ${KILLS}x with ${inFlight.join('+')} charges in flight`, problems };
    } finally {
      await stack.stop();
    }
  },
};
