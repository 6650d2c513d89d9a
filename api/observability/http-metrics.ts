/**
 * Prometheus metrics of the HTTP API (prom-client): request counts and latency histograms by method,
 * route pattern and status, plus the process metrics prom-client collects (CPU, memory, event-loop
 * lag, GC). Labels use the matched route pattern (`/v1/orders/:orderId`), never the raw path, so the
 * number of series stays bounded whatever clients send.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  /** Counts one answered request; `route` is the matched pattern ('unmatched' for none). */
  record(method: string, route: string, status: number, seconds: number): void;
}

/** Buckets around the API's answer targets (docs/performance.md#latest-reference-run) and slow outliers. */
const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createHttpMetrics(): HttpMetrics {
  // A registry per app instead of prom-client's global one: tests build several apps in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to its response, by method, route pattern and status.',
    labelNames,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  // The histogram counts every observation already (its _count series): the counter is read off
  // it at scrape time rather than counted again per request, which hashed the labels a second
  // time on every answer.
  new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      for (const sample of (await duration.get()).values) {
        if (sample.metricName === 'http_request_duration_seconds_count') this.inc(sample.labels, sample.value);
      }
    },
  });

  const record: HttpMetrics['record'] = (method, route, status, seconds) => {
    duration.observe({ method, route, status: String(status) }, seconds);
  };
  return { registry, record };
}
