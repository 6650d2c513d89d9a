/**
 * Catalog read throughput with autocannon: GET /v1/products/:sku (the whole middleware chain, auth
 * aside: it is public) against GET /bench/bare (Node + Hono alone) in the same API process, same run.
 */
import autocannon from 'autocannon';
import { round } from './open-loop';

export interface ThroughputFigures {
  reqPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export async function measureThroughput(url: string, connections: number, seconds: number): Promise<ThroughputFigures> {
  const result = await autocannon({ url, connections, duration: seconds });
  return {
    reqPerSec: round(result.requests.average),
    latencyP50Ms: round(result.latency.p50),
    latencyP99Ms: round(result.latency.p99),
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
