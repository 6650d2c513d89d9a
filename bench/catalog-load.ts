/**
 * Catalog read throughput with autocannon: GET /v1/products/:sku (the whole middleware chain, auth
 * aside: it is public) against GET /bench/bare (Node + Hono alone) in the same API process, same run.
 * The two routes take turns over several rounds and each reports its median round: on a shared
 * 2-core machine one 10 s window of either can be a tenth off, which is the size of the margin the
 * ratio is judged on.
 */
import autocannon from 'autocannon';
import { round } from './open-loop';
import { takeTurns } from './take-turns';

export interface ThroughputFigures {
  /** Requests per second of every round, in order (only from `compareThroughput`). */
  rounds?: number[];
  reqPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export async function measureThroughput(url: string, connections: number, seconds: number): Promise<ThroughputFigures> {
  return throughputFiguresOf(await autocannon({ url, connections, duration: seconds }));
}

/** The figures of one autocannon run, as every throughput phase reports them. */
export function throughputFiguresOf(result: autocannon.Result): ThroughputFigures {
  return {
    reqPerSec: round(result.requests.average),
    latencyP50Ms: round(result.latency.p50),
    latencyP99Ms: round(result.latency.p99),
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Measures each route `rounds` times, taking turns (./take-turns.ts); each gets the figures of its median round. */
export async function compareThroughput(
  urls: Readonly<Record<string, string>>,
  connections: number,
  secondsPerRound: number,
  rounds: number,
): Promise<Record<string, ThroughputFigures>> {
  const runs = await takeTurns(urls, rounds, (url) => measureThroughput(url, connections, secondsPerRound));
  const median = (figures: ThroughputFigures[]): ThroughputFigures => {
    const sorted = [...figures].sort((a, b) => a.reqPerSec - b.reqPerSec);
    return { ...sorted[Math.floor(sorted.length / 2)]!, rounds: figures.map((f) => f.reqPerSec) };
  };
  return Object.fromEntries(Object.entries(runs).map(([name, figures]) => [name, median(figures)]));
}
