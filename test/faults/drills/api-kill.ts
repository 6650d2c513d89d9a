/**
 * The API process SIGKILLed while checkouts are in flight, then started again. The client retries
 * each cut request with the same Idempotency-Key: every key must end with exactly one order, and
 * every answer for a key must name that order (a retry that finds it is `Idempotent-Replayed`).
 */
import { bootStack, closeBooks, sleep, startStream, type Drill } from '../drill';

const KILLS = 3;
const BURST = 15;

export const apiKill: Drill = {
  name: 'api-kill',
  async run(ctx) {
    const stack = await bootStack(ctx, this.name);
    try {
      const problems: string[] = [];
      const stream = startStream(stack, 3);
      await sleep(8_000);
      for (let k = 0; k < KILLS; k++) {
        // A burst guarantees requests mid-flight (at 3/s alone the kill might fall between two).
        for (let b = 0; b < BURST; b++) void stream.fire();
        await sleep(30 + 40 * k);
        await stack.killProcess('api', 'SIGKILL');
        await sleep(2_000);
        stack.startProcess('api');
        await stack.waitReady(60_000).catch(() => problems.push(`API not ready within 60 s of restart ${k + 1}`));
        await sleep(6_000);
      }
      await stream.stop();
      const books = await closeBooks(stack, stream.outcomes);
      const cut = stream.outcomes.filter((o) => o.cutInFlight > 0).length;
      const refused = stream.outcomes.filter((o) => o.networkErrors > o.cutInFlight).length;
      if (cut === 0) problems.push('no request was cut by a kill: the drill did not test what it claims');
      const replayed = stream.outcomes.reduce((n, o) => n + o.replayed, 0);
      return {
        books,
        notes: `${KILLS} kills cut ${cut} checkouts mid-request and ${refused} met a closed port; all retried with their key, ${replayed} answered as replays`,
        problems,
      };
    } finally {
      await stack.stop();
    }
  },
};
