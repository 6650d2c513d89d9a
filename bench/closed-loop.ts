/**
 * Closed-loop load: `concurrency` clients each run one unit of work after another (a checkout or a
 * baseline workflow, started and awaited to its end). What finishes inside the window is what the
 * system sustains when kept busy. Closed on purpose for capacity: offered far beyond capacity
 * open-loop, the dev server's backlog grew until tasks timed out and were retried, and the same
 * baseline measured anywhere from 27 to 86/s.
 */
import { percentiles, round, type Percentiles } from './open-loop';
import { takeTurns } from './take-turns';

/** One unit of work's outcome: how long it took, and whether it ended as it should. */
export interface Outcome {
  ms: number;
  ok: boolean;
}

export interface CapacityFigures {
  concurrency: number;
  /** Seconds of load in all, over every round. */
  seconds: number;
  completedPerSec: number;
  completionMs: Percentiles;
  /** Units that did not end as they should (a refused checkout, a failed workflow). */
  failed: number;
  /** Completions per second of each round, in order. */
  rounds: number[];
}

interface Round {
  completed: number;
  failed: number;
  ms: number[];
}

async function runRound(concurrency: number, seconds: number, once: () => Promise<Outcome>): Promise<Round> {
  const windowEnd = performance.now() + seconds * 1000;
  const round: Round = { completed: 0, failed: 0, ms: [] };
  const client = async (): Promise<void> => {
    while (performance.now() < windowEnd) {
      const outcome = await once().catch((): Outcome => ({ ms: Number.NaN, ok: false }));
      if (!outcome.ok) round.failed++;
      // Work that ends after the window was not sustained inside it.
      else if (performance.now() <= windowEnd) {
        round.completed++;
        round.ms.push(outcome.ms);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return round;
}

/**
 * Measures each named unit of work closed-loop for `rounds` rounds of `secondsPerRound`, taking
 * turns (./take-turns.ts); `beforeEachRound` sets the stage for every round (./phase-start.ts).
 */
export async function compareCapacity(
  work: Readonly<Record<string, () => Promise<Outcome>>>,
  concurrency: number,
  secondsPerRound: number,
  rounds: number,
  beforeEachRound: () => Promise<void> = async () => undefined,
): Promise<Record<string, CapacityFigures>> {
  const runs = await takeTurns(work, rounds, async (once) => {
    await beforeEachRound();
    return runRound(concurrency, secondsPerRound, once);
  });
  const figures = (done: Round[]): CapacityFigures => ({
    concurrency,
    seconds: secondsPerRound * rounds,
    completedPerSec: round(done.reduce((n, r) => n + r.completed, 0) / (secondsPerRound * rounds)),
    completionMs: percentiles(done.flatMap((r) => r.ms)),
    failed: done.reduce((n, r) => n + r.failed, 0),
    rounds: done.map((r) => round(r.completed / secondsPerRound)),
  });
  return Object.fromEntries(Object.entries(runs).map(([name, done]) => [name, figures(done)]));
}
