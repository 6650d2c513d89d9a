/**
 * Open-loop load: the i-th request is sent at t0 + i/rate whether or not earlier ones have answered,
 * so a slow server cannot hide its queueing behind a slower client (closed loops under-report tails).
 */
import { percentile } from '../tooling/stack';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export const round = (x: number): number => Math.round(x * 10) / 10;

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

export interface OpenLoopRun<T> {
  results: T[];
  /** Requests actually sent per second (below the target when the load generator itself lags). */
  achievedRatePerSec: number;
  startedAt: number;
}

export async function runOpenLoop<T>(
  ratePerSec: number,
  seconds: number,
  fire: (i: number) => Promise<T>,
): Promise<OpenLoopRun<T>> {
  const total = Math.round(ratePerSec * seconds);
  const pending: Promise<T>[] = [];
  const startedAt = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = startedAt + (i * 1000) / ratePerSec - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(fire(i));
  }
  const sendSeconds = (performance.now() - startedAt) / 1000;
  return { results: await Promise.all(pending), achievedRatePerSec: round(total / sendSeconds), startedAt };
}
