/**
 * The bench's pictures (bench/results.svg), drawn from results.json with Vega-Lite and rendered
 * headless to SVG by Vega: answer-latency percentiles per offered rate, completions per second of
 * the sustained phase, the flash sale's sell-out curve, the carts' requests per second, and the RSS
 * of every process over the run. Each panel is drawn only when the run recorded its figures, so a
 * run of some phases (BENCH_PHASES) or an older results.json still gets a chart of what it has.
 */
import { z } from 'zod';

const percentilesSchema = z.object({ p50: z.number(), p90: z.number(), p99: z.number() });
const answersSchema = z.record(z.string(), z.object({ answerMs: percentilesSchema }));
const completionSchema = z.object({ perSecond: z.array(z.number()).optional() });
const sideSchema = z.object({ answersByRate: answersSchema.optional(), completion: completionSchema.optional() });
const routeSchema = z.object({ reqPerSec: z.number(), latencyP99Ms: z.number() });

/** The parts of results.json the chart reads; everything else is ignored, everything here optional. */
export const chartInputSchema = z.object({
  date: z.string().optional(),
  checkout: sideSchema.optional(),
  baseline: sideSchema.optional(),
  flashSale: z
    .object({
      units: z.number(),
      customers: z.number(),
      offeredPerSec: z.number(),
      curve: z.array(
        z.object({ seconds: z.number(), available: z.number(), paid: z.number(), outOfStock: z.number() }),
      ),
    })
    .nullish(),
  cart: z
    .object({ add: routeSchema, read: routeSchema, bare: routeSchema.nullable(), connections: z.number() })
    .nullish(),
  series: z
    .object({
      rss: z.object({
        samples: z.array(z.object({ t: z.number(), mib: z.record(z.string(), z.number()) })),
        phases: z.array(z.object({ name: z.string(), t: z.number() })),
      }),
    })
    .optional(),
});
export type ChartInput = z.infer<typeof chartInputSchema>;

type Panel = Record<string, unknown>;
const WIDTH = 560;
const HEIGHT = 200;

function answerPanel(r: ChartInput): Panel | undefined {
  const rows = (['checkout', 'baseline'] as const).flatMap((kind) =>
    Object.entries(r[kind]?.answersByRate ?? {}).flatMap(([rate, a]) =>
      (['p50', 'p90', 'p99'] as const).map((p) => ({ kind, rate: Number(rate), percentile: p, ms: a.answerMs[p] })),
    ),
  );
  if (rows.length === 0) return undefined;
  return {
    title: 'Answer latency per offered rate (open loop)',
    data: { values: rows },
    encoding: {
      x: { field: 'rate', type: 'ordinal', title: 'offered requests/s', axis: { labelAngle: 0 } },
      y: { field: 'ms', type: 'quantitative', title: 'answer ms' },
      color: { field: 'kind', type: 'nominal', title: null },
    },
    layer: [
      {
        mark: 'line',
        encoding: {
          strokeDash: { field: 'percentile', type: 'nominal', title: null },
          detail: [{ field: 'kind' }, { field: 'percentile' }],
        },
      },
      { mark: { type: 'point', filled: true } },
    ],
  };
}

function completionPanel(r: ChartInput): Panel | undefined {
  const rows = (['checkout', 'baseline'] as const).flatMap((kind) =>
    (r[kind]?.completion?.perSecond ?? []).map((count, second) => ({ kind, second, count })),
  );
  if (rows.length === 0) return undefined;
  return {
    title: 'Sustained phase: completions per second (checkout PAID, baseline ended)',
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'second', type: 'quantitative', title: 'seconds from the start of the window' },
      y: { field: 'count', type: 'quantitative', title: 'completed in that second' },
      color: { field: 'kind', type: 'nominal', title: null },
    },
  };
}

function flashSalePanel(r: ChartInput): Panel | undefined {
  const f = r.flashSale;
  if (!f || f.curve.length === 0) return undefined;
  const units = f.curve.flatMap((p) => [
    { seconds: p.seconds, series: 'units available', value: p.available },
    { seconds: p.seconds, series: 'orders paid', value: p.paid },
  ]);
  const losers = f.curve.map((p) => ({
    seconds: p.seconds,
    series: 'losers FAILED (OUT_OF_STOCK)',
    value: p.outOfStock,
  }));
  const x = { field: 'seconds', type: 'quantitative', title: 'seconds from the first order' };
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: ['units available', 'orders paid', 'losers FAILED (OUT_OF_STOCK)'] },
    legend: { labelLimit: 260 },
  };
  return {
    title: `Flash sale: ${f.units} units, ${f.customers} customers at ${f.offeredPerSec}/s`,
    layer: [
      {
        data: { values: units },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: { x, y: { field: 'value', type: 'quantitative', title: 'units / paid orders' }, color },
      },
      {
        data: { values: losers },
        mark: { type: 'line', interpolate: 'step-after', strokeDash: [4, 3] },
        encoding: { x, y: { field: 'value', type: 'quantitative', title: 'losers FAILED' }, color },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}

function cartPanel(r: ChartInput): Panel | undefined {
  const c = r.cart;
  if (!c) return undefined;
  const rows = [
    { route: 'POST /v1/carts/:id/items', ...c.add },
    { route: 'GET /v1/carts/:id', ...c.read },
    ...(c.bare ? [{ route: 'GET /bench/bare', ...c.bare }] : []),
  ].map((row) => ({ ...row, label: `${row.reqPerSec} req/s, p99 ${row.latencyP99Ms} ms` }));
  const y = { field: 'route', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } };
  return {
    title: `Carts: requests per second with ${c.connections} connections (log scale)`,
    data: { values: rows },
    layer: [
      // Bars from 1 so the log scale can draw them: the bare route is two orders above the others.
      {
        mark: 'bar',
        encoding: {
          y,
          x: { field: 'reqPerSec', type: 'quantitative', title: 'requests/s', scale: { type: 'log' } },
          x2: { datum: 1 },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: { y, x: { field: 'reqPerSec', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
    height: 90,
  };
}

function rssPanel(r: ChartInput): Panel | undefined {
  const rss = r.series?.rss;
  if (!rss || rss.samples.length === 0) return undefined;
  const rows = rss.samples.flatMap((s) => Object.entries(s.mib).map(([process, mib]) => ({ t: s.t, process, mib })));
  return {
    title: 'Resident memory per process over the run (phase starts marked)',
    layer: [
      {
        data: { values: rows },
        mark: 'line',
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'seconds since the stack was up' },
          y: { field: 'mib', type: 'quantitative', title: 'RSS MiB' },
          color: { field: 'process', type: 'nominal', title: null },
        },
      },
      {
        data: { values: rss.phases },
        mark: { type: 'rule', strokeDash: [2, 2], color: '#999' },
        encoding: { x: { field: 't', type: 'quantitative' } },
      },
      {
        data: { values: rss.phases },
        mark: {
          type: 'text',
          angle: 270,
          align: 'right',
          baseline: 'bottom',
          dy: -2,
          y: 2,
          fontSize: 9,
          color: '#666',
        },
        encoding: { x: { field: 't', type: 'quantitative' }, text: { field: 'name' } },
      },
    ],
  };
}

/** The Vega-Lite spec of the chart, one panel per recorded figure set. */
export function chartSpec(r: ChartInput): Record<string, unknown> {
  const panels = [answerPanel(r), completionPanel(r), flashSalePanel(r), cartPanel(r), rssPanel(r)].filter(
    (p): p is Panel => p !== undefined,
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'npm run bench', subtitle: r.date ? `run of ${r.date}` : '' },
    config: { view: { continuousWidth: WIDTH, continuousHeight: HEIGHT }, font: 'sans-serif' },
    vconcat: panels.map((p) => ({ width: WIDTH, height: HEIGHT, ...p })),
    resolve: { scale: { color: 'independent' } },
  };
}

/** results.json (parsed) -> SVG text. */
export async function renderChart(results: unknown): Promise<string> {
  const input = chartInputSchema.parse(results);
  // Both are ES modules only; this package is CommonJS, so they come in by dynamic import.
  const vega = await import('vega');
  const vegaLite = await import('vega-lite');
  // The panels are plain objects (their typings would be most of this file); vega-lite's compile
  // checks the spec itself and throws on a mistake.
  const spec = chartSpec(input) as unknown as Parameters<typeof vegaLite.compile>[0];
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
