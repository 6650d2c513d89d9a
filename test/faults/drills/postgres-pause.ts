/**
 * PostgreSQL frozen (SIGSTOP to every process of the private cluster) for 20 s. Meanwhile
 * `/readyz` must answer 503 promptly (a readiness probe that hangs takes the pod out of rotation
 * only after its own timeout, and piles up requests); afterwards every checkout completes.
 */
import { bootStack, closeBooks, probeReady, recovery, sleep, startStream, type Drill, type ReadyProbe } from '../drill';

const PAUSE_MS = 20_000;
/** /readyz checks each dependency with a 2 s timeout: an answer later than this means it hangs. */
const PROMPT_MS = 5_000;

export const postgresPause: Drill = {
  name: 'postgres-pause',
  async run(ctx) {
    const stack = await bootStack(ctx, this.name);
    try {
      const problems: string[] = [];
      const stream = startStream(stack, 3);
      await sleep(10_000);
      const frozen = ctx.postgres.pause();
      const probes: ReadyProbe[] = [];
      const until = Date.now() + PAUSE_MS;
      try {
        while (Date.now() < until - 3_000) {
          probes.push(await probeReady(stack));
          await sleep(1_500);
        }
      } finally {
        await sleep(Math.max(0, until - Date.now()));
        ctx.postgres.resume();
      }
      const resumedAt = Date.now();
      const wrong = probes.filter((p) => p.status !== 503 || !p.failing.includes('postgres'));
      const slowest = Math.max(...probes.map((p) => p.ms));
      if (wrong.length > 0)
        problems.push(
          `/readyz during the pause: ${wrong.map((p) => `${p.status} [${p.failing.join(',')}]`).join(', ')}; expected 503 naming postgres`,
        );
      if (slowest > PROMPT_MS)
        problems.push(`/readyz took up to ${slowest} ms to answer while PostgreSQL was frozen (hangs)`);
      await stack.waitReady(60_000).catch(() => problems.push('/readyz not 200 within 60 s of the resume'));
      await sleep(10_000);
      await stream.stop();
      const books = await closeBooks(stack, stream.outcomes);
      const retried = stream.outcomes.filter((o) => o.attempts > 1).length;
      const { firstS, backlogS } = recovery(stream.outcomes, resumedAt);
      return {
        books,
        notes:
          `${frozen} processes frozen ${PAUSE_MS / 1000} s, /readyz 503 x${probes.length - wrong.length}/${probes.length} (slowest ${slowest} ms), ` +
          `${retried} checkouts retried; after the resume first accepted in ${firstS} s, all earlier ones in ${backlogS} s`,
        problems,
      };
    } finally {
      await stack.stop();
    }
  },
};
