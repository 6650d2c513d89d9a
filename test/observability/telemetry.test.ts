/**
 * Issue "Observability" from outside, against the API and worker as real processes:
 * - one checkout exported over OTLP/HTTP JSON is one trace: HTTP request -> workflow start ->
 *   workflow -> activities -> SQL, across both processes;
 * - both metrics ports answer with Prometheus text (API request counts/latency, SDK worker metrics);
 * - logs are JSON lines carrying trace and workflow ids.
 */
import { paidOrLater } from '../support/api-harness';
import { useTestDatabase } from '../support/database';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { waitForHttp } from '../../tooling/processes';
import {
  placeCheckout,
  serviceEnv,
  spawnService,
  stopService,
  waitForOrder,
  type ServiceProcess,
} from '../support/service-processes';
import { waitUntil } from '../support/wait';

jest.setTimeout(120_000);

const db = useTestDatabase();
let receiver: OtlpReceiver;
let api: ServiceProcess;
let worker: ServiceProcess;
let baseUrl: string;
let apiMetrics: string;
let workerMetrics: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const stack = await serviceEnv({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  worker = spawnService('workers/main.ts', { ...stack.env, METRICS_PORT: String(stack.workerMetricsPort) });
  api = spawnService('api/server.ts', { ...stack.env, METRICS_PORT: String(stack.apiMetricsPort) });
  baseUrl = `http://127.0.0.1:${stack.apiPort}`;
  apiMetrics = `http://127.0.0.1:${stack.apiMetricsPort}/metrics`;
  workerMetrics = `http://127.0.0.1:${stack.workerMetricsPort}/metrics`;
  await Promise.all([waitForHttp(`${baseUrl}/readyz`, 60_000), waitForHttp(workerMetrics, 60_000)]);
});

afterAll(async () => {
  await Promise.all([api && stopService(api), worker && stopService(worker)]);
  await receiver?.close();
});

async function placePaidOrder(): Promise<{ orderId: string; workflowId: string }> {
  const { status, orderId, workflowId, accessToken } = await placeCheckout(baseUrl, db());
  expect(status).toBe(202);
  await waitForOrder(baseUrl, orderId, accessToken, paidOrLater);
  return { orderId, workflowId };
}

/** Waits until `find` finds something among the spans received so far. */
const eventually = <T>(find: () => T | undefined, what: string): Promise<T> =>
  waitUntil(find, () => `${what}; spans so far: ${receiver.spans.map((s) => `${s.service}:${s.name}`).join(', ')}`, {
    timeoutMs: 20_000,
    intervalMs: 200,
  });

test('a checkout is one trace from the HTTP request through the workflow and its activities to SQL', async () => {
  await placePaidOrder();

  const httpSpan = await eventually(
    () => receiver.spans.find((s) => s.service === 'commerce-api' && s.name === 'POST /v1/checkouts'),
    'the API span of POST /v1/checkouts',
  );
  expect(httpSpan.parentSpanId).toBeUndefined(); // the trace starts at the HTTP request
  expect(httpSpan.attributes['http.route']).toBe('/v1/checkouts');
  const inTrace = (): ReceivedSpan[] => receiver.spans.filter((s) => s.traceId === httpSpan.traceId);
  const named = (name: string) => () => inTrace().find((s) => s.name === name);
  const chargeRun = await eventually(named('RunActivity:chargePayment'), 'the chargePayment activity span');
  await eventually(named('RunActivity:markOrderPaid'), 'the markOrderPaid activity span');
  const workflowRun = await eventually(named('RunWorkflow:checkout'), 'the checkout workflow span');
  const start = await eventually(named('StartWorkflow:checkout'), 'the workflow start span');

  const byId = new Map(inTrace().map((s) => [s.spanId, s]));
  const ancestry = (span: ReceivedSpan): string[] => {
    const names: string[] = [];
    for (
      let p = span.parentSpanId && byId.get(span.parentSpanId);
      p;
      p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined
    )
      names.push(p.name);
    return names;
  };
  // API -> Temporal client -> workflow (in the worker process) -> activity.
  expect(start.service).toBe('commerce-api');
  expect(start.parentSpanId).toBe(httpSpan.spanId);
  expect(workflowRun.service).toBe('commerce-worker');
  expect(workflowRun.parentSpanId).toBe(start.spanId);
  expect(ancestry(chargeRun)).toEqual(
    expect.arrayContaining([
      'StartActivity:chargePayment',
      'RunWorkflow:checkout',
      'StartWorkflow:checkout',
      'POST /v1/checkouts',
    ]),
  );
  // ... -> SQL, under the activity that ran it.
  const sql = inTrace().filter((s) => s.name.startsWith('pg.query') && s.attributes['db.system'] === 'postgresql');
  const activitySql = sql.filter((s) => ancestry(s).includes('RunActivity:chargePayment'));
  expect(activitySql.length).toBeGreaterThan(0);
  expect(ancestry(activitySql[0]!)).toContain('POST /v1/checkouts');
  expect([...receiver.contentTypes]).toEqual(expect.arrayContaining([expect.stringMatching(/^application\/json/)]));
});

test("HTTP spans keep the path but not the query string: a search's customer email stays out of traces", async () => {
  const { accessToken } = await placeCheckout(baseUrl, db());
  const searched = `traced-${Date.now()}@example.com`;
  const res = await fetch(`${baseUrl}/v1/orders?customerEmail=${encodeURIComponent(searched)}&status=PAID`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  // A customer may not search by email (403); the request is traced all the same.
  expect(res.status).toBe(403);

  const span = await eventually(
    () => receiver.spans.find((s) => s.service === 'commerce-api' && s.name === 'GET /v1/orders'),
    'the API span of GET /v1/orders',
  );
  expect(span.attributes['http.target']).toBe('/v1/orders');
  expect(span.attributes['http.url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/orders$/);
  const leaks = receiver.spans.filter((s) =>
    Object.values(s.attributes).some((v) => String(v).includes(searched) || String(v).includes('customerEmail')),
  );
  expect(leaks.map((s) => `${s.service}:${s.name}`)).toEqual([]);
});

test('the API and the worker serve Prometheus metrics on their metrics ports', async () => {
  await placePaidOrder();

  const apiText = await (await fetch(apiMetrics)).text();
  const checkouts = apiText.match(/^http_requests_total\{method="POST",route="\/v1\/checkouts",status="202"\} (\d+)$/m);
  expect(Number(checkouts?.[1])).toBeGreaterThanOrEqual(1);
  expect(apiText).toMatch(
    /^http_request_duration_seconds_bucket\{le="0\.05",method="POST",route="\/v1\/checkouts",status="202"\} \d+$/m,
  );
  // Order reads are labelled by route pattern, never by the raw path with its id.
  expect(apiText).toMatch(/route="\/v1\/orders\/:orderId"/);
  expect(apiText).not.toMatch(/route="\/v1\/orders\/[0-9a-f-]{36}"/);
  expect(apiText).toMatch(/^process_resident_memory_bytes \d+/m);

  // Catalog reads answered from the memory cache count too, under the route's pattern.
  const sku = (await db().product.findFirstOrThrow({ select: { sku: true } })).sku;
  for (let i = 0; i < 3; i++) expect((await fetch(`${baseUrl}/v1/products/${sku}`)).status).toBe(200);
  const productReads = (await (await fetch(apiMetrics)).text()).match(
    /^http_requests_total\{method="GET",route="\/v1\/products\/:sku",status="200"\} (\d+)$/m,
  );
  expect(Number(productReads?.[1])).toBeGreaterThanOrEqual(3);

  const workerText = await (await fetch(workerMetrics)).text();
  const completed = workerText.match(/^temporal_workflow_completed\{[^}]*workflow_type="checkout"[^}]*\} (\d+)$/m);
  expect(Number(completed?.[1])).toBeGreaterThanOrEqual(1);
  expect(workerText).toMatch(
    /^temporal_local_activity_execution_latency_count\{[^}]*activity_type="chargePayment"[^}]*\} \d+$/m,
  );
});

test('logs are JSON lines with trace ids, and workflow lines name their workflow', async () => {
  const { orderId, workflowId } = await placePaidOrder();

  const transition = await eventually(
    () => worker.logs().find((l) => l.msg === 'order status changed' && l.orderId === orderId && l.status === 'PAID'),
    'the worker log line of the PAID transition',
  );
  expect(transition).toMatchObject({ level: 'info', service: 'commerce-worker', workflowId, workflowType: 'checkout' });
  expect(transition.trace_id).toMatch(/^[0-9a-f]{32}$/);
  // The API's line for the same request carries a trace id too (and nothing but JSON is written).
  expect(api.logs().find((l) => l.msg === 'api listening')).toMatchObject({ level: 'info', service: 'commerce-api' });
  expect(api.lines.every((line) => line.startsWith('{'))).toBe(true);
  expect(worker.lines.every((line) => line.startsWith('{'))).toBe(true);
});
