/**
 * Static checks of who may talk to whom in deploy/k8s: every pod is denied by default, only the API
 * and worker pods (and the temporal-setup Job, for Temporal) may open connections to PostgreSQL,
 * Redis and the Temporal frontend, metrics ports admit only the monitoring namespace, and the public
 * Service carries no metrics port.
 */
import { z } from 'zod';
import { parseAs, selects, serviceSchema } from './support/k8s-objects';
import { describeManifest, manifestsOf, type KustomizeBuild } from './support/kustomize';
import { KUSTOMIZATIONS, build, workloads } from './support/workloads';

const labels = z.record(z.string(), z.string());
const peerSchema = z.looseObject({
  podSelector: z.looseObject({ matchLabels: labels.optional() }).optional(),
  namespaceSelector: z.looseObject({ matchLabels: labels.optional() }).optional(),
  ipBlock: z.looseObject({ cidr: z.string() }).optional(),
});
const ruleSchema = z.looseObject({
  to: z.array(peerSchema).optional(),
  from: z.array(peerSchema).optional(),
  ports: z.array(z.looseObject({ protocol: z.string().optional(), port: z.number().optional() })).optional(),
});
const networkPolicySchema = z.looseObject({
  spec: z.looseObject({
    podSelector: z.looseObject({ matchLabels: labels.optional() }),
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])),
    ingress: z.array(ruleSchema).optional(),
    egress: z.array(ruleSchema).optional(),
  }),
});
type Rule = z.infer<typeof ruleSchema>;

const DEPENDENCY_PORTS = { postgres: 5432, redis: 6379, temporal: 7233 } as const;
const METRICS_PORTS = [9464, 9465];

function policies(b: KustomizeBuild) {
  return manifestsOf(b, 'NetworkPolicy').map((m) => ({
    name: m.header.metadata.name,
    where: describeManifest(m),
    spec: parseAs(networkPolicySchema, m.raw, describeManifest(m)).spec,
  }));
}

/** The app.kubernetes.io/name of the pod templates a policy's podSelector picks ({} picks all). */
function selectedApps(b: KustomizeBuild, selector: Record<string, string>): string[] {
  return workloads(b)
    .filter((w) => selects(selector, w.template.metadata?.labels))
    .map((w) => w.template.metadata?.labels?.['app.kubernetes.io/name'] ?? w.label);
}

/** A rule lets `port` through when it lists it, or lists no ports at all (every port). */
const allowsPort = (rule: Rule, port: number): boolean =>
  rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((p) => p.port === port);

describe.each(KUSTOMIZATIONS.map((dir) => [dir] as const))('Kubernetes network policies of %s', (dir) => {
  const b = build(dir);
  const all = policies(b);

  it('denies every pod of the namespace all ingress and egress by default', () => {
    const defaultDeny = all.filter(
      (p) =>
        Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 0 &&
        p.spec.policyTypes.includes('Ingress') &&
        p.spec.policyTypes.includes('Egress') &&
        (p.spec.ingress ?? []).length === 0 &&
        (p.spec.egress ?? []).length === 0,
    );
    expect(defaultDeny.map((p) => p.name)).toEqual(['default-deny']);
  });

  it('selects only pods that exist (each policy but the namespace-wide ones picks a workload)', () => {
    const empty = all
      .filter((p) => Object.keys(p.spec.podSelector.matchLabels ?? {}).length > 0)
      .filter((p) => selectedApps(b, p.spec.podSelector.matchLabels ?? {}).length === 0)
      .map((p) => `${p.where}: podSelector matches no pod template`);
    expect(empty).toEqual([]);
  });

  it.each(Object.entries(DEPENDENCY_PORTS))('lets only the API and worker pods reach %s (port %d)', (_name, port) => {
    const reaching = new Set(
      all
        .filter((p) => (p.spec.egress ?? []).some((rule) => allowsPort(rule, port)))
        .flatMap((p) => selectedApps(b, p.spec.podSelector.matchLabels ?? {})),
    );
    const allowed =
      port === DEPENDENCY_PORTS.temporal
        ? ['commerce-api', 'commerce-worker', 'temporal-setup']
        : ['commerce-api', 'commerce-worker'];
    expect([...reaching].filter((app) => !allowed.includes(app))).toEqual([]);
    // ...and the API does reach each of them, the workers PostgreSQL and Temporal (they use no Redis).
    expect(reaching.has('commerce-api')).toBe(true);
    expect(reaching.has('commerce-worker')).toBe(port !== DEPENDENCY_PORTS.redis);
  });

  it('lets the dependencies be reached only in their own namespaces, never "anywhere"', () => {
    const open = all.flatMap((p) =>
      (p.spec.egress ?? [])
        .filter((rule) => Object.values(DEPENDENCY_PORTS).some((port) => allowsPort(rule, port)))
        .filter((rule) => (rule.to ?? []).length === 0)
        .map(() => `${p.where}: an egress rule opens a dependency port to every destination`),
    );
    expect(open).toEqual([]);
  });

  it('admits the metrics ports only from the monitoring namespace', () => {
    const problems = all.flatMap((p) =>
      (p.spec.ingress ?? [])
        .filter((rule) => METRICS_PORTS.some((port) => allowsPort(rule, port)))
        .filter(
          (rule) =>
            (rule.from ?? []).length === 0 ||
            (rule.from ?? []).some(
              (peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] !== 'monitoring',
            ),
        )
        .map(() => `${p.where}: a metrics port is open to more than the monitoring namespace`),
    );
    expect(problems).toEqual([]);
    const scraped = new Set(
      all
        .filter((p) => (p.spec.ingress ?? []).some((rule) => METRICS_PORTS.some((port) => allowsPort(rule, port))))
        .flatMap((p) => selectedApps(b, p.spec.podSelector.matchLabels ?? {})),
    );
    expect([...scraped].sort()).toEqual(['commerce-api', 'commerce-worker']);
  });

  it('admits the API HTTP port from anywhere (customers, webhooks), and nothing else of the API', () => {
    const api = all.filter((p) => selectedApps(b, p.spec.podSelector.matchLabels ?? {}).includes('commerce-api'));
    const openToAll = api.flatMap((p) => (p.spec.ingress ?? []).filter((rule) => (rule.from ?? []).length === 0));
    expect(openToAll.flatMap((rule) => (rule.ports ?? []).map((port) => port.port))).toEqual([3000]);
  });

  it('keeps metrics ports off the public API Service; only headless Services carry them', () => {
    const services = manifestsOf(b, 'Service').map((m) => ({
      name: m.header.metadata.name,
      where: describeManifest(m),
      raw: m.raw as { spec?: { clusterIP?: string } },
      spec: parseAs(serviceSchema, m.raw, describeManifest(m)).spec,
    }));
    const api = services.find((s) => s.name === 'commerce-api');
    expect(api?.spec.ports?.map((p) => p.name)).toEqual(['http']);
    const exposing = services
      .filter((s) =>
        (s.spec.ports ?? []).some(
          (p) => p.name === 'metrics' || p.targetPort === 'metrics' || METRICS_PORTS.includes(p.port),
        ),
      )
      .filter((s) => s.raw.spec?.clusterIP !== 'None')
      .map((s) => `${s.where}: a metrics port on a Service with a cluster IP`);
    expect(exposing).toEqual([]);
  });
});
