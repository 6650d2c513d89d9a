/**
 * Static checks that the objects of deploy/k8s refer to each other correctly: kustomizations read
 * every manifest, Services select pods and ports that exist, autoscalers and disruption budgets
 * target the Deployments, and every address the application is given names a Service of the build.
 */
import { ADDRESS_VARIABLES, configNumber, hostAndPort } from './support/app-env';
import { hpaSchema, parseAs, pdbSchema, scaledObjectSchema, selects, serviceSchema } from './support/k8s-objects';
import { describeManifest, manifestsOf, type KustomizeBuild } from './support/kustomize';
import { listRepoFiles } from './support/repo-files';
import { EXAMPLE_SECRETS_FILE } from './support/k8s-env';
import { KUSTOMIZATIONS, appContainers, build, resolvePort, workloads } from './support/workloads';

/** PostgreSQL's default max_connections, less room for superusers, migrations and psql sessions. */
const POSTGRES_CONNECTION_BUDGET = 100 - 10;

function services(b: KustomizeBuild) {
  return manifestsOf(b, 'Service').map((m) => ({
    manifest: m,
    name: m.header.metadata.name,
    spec: parseAs(serviceSchema, m.raw, describeManifest(m)).spec,
  }));
}

/** The Service a host names: `name`, `name.namespace`, `name.namespace.svc[.cluster.local]`. */
function serviceForHost(b: KustomizeBuild, host: string) {
  const [name, namespace, ...rest] = host.split('.');
  const suffixOk = rest.length === 0 || rest.join('.') === 'svc' || rest.join('.') === 'svc.cluster.local';
  if (!suffixOk || (namespace !== undefined && namespace !== b.namespace)) return undefined;
  return services(b).find((s) => s.name === name);
}

function deployments(b: KustomizeBuild) {
  return workloads(b).filter((w) => w.manifest.header.kind === 'Deployment');
}

/** The HorizontalPodAutoscaler and the KEDA ScaledObject (either may be absent) that scale Deployment `name`. */
function scalersOf(b: KustomizeBuild, name: string) {
  const hpa = manifestsOf(b, 'HorizontalPodAutoscaler')
    .map((m) => parseAs(hpaSchema, m.raw, describeManifest(m)).spec)
    .find((s) => s.scaleTargetRef.name === name);
  const keda = manifestsOf(b, 'ScaledObject')
    .map((m) => parseAs(scaledObjectSchema, m.raw, describeManifest(m)).spec)
    .find((s) => s.scaleTargetRef.name === name);
  return { hpa, keda };
}

describe('Kubernetes manifests', () => {
  it('has no manifest that no kustomization reads', () => {
    const read = new Set(KUSTOMIZATIONS.flatMap((dir) => build(dir).files));
    const orphans = listRepoFiles('deploy/k8s', ['.yaml', '.yml', '.sh']).filter(
      (f) => f !== EXAMPLE_SECRETS_FILE && !read.has(f),
    );
    expect(orphans).toEqual([]);
  });
});

describe.each(KUSTOMIZATIONS.map((dir) => [dir] as const))('Kubernetes references in %s', (dir) => {
  const b = build(dir);

  it('creates the namespace it deploys into', () => {
    const namespaces = manifestsOf(b, 'Namespace').map((m) => m.header.metadata.name);
    expect(namespaces).toContain(b.namespace);
  });

  it('has Services that select pods and target ports those pods declare', () => {
    const problems = services(b)
      .filter((s) => s.spec.type !== 'ExternalName')
      .flatMap((s) => {
        const where = describeManifest(s.manifest);
        const selected = workloads(b).filter((w) => selects(s.spec.selector ?? {}, w.template.metadata?.labels));
        if (selected.length === 0)
          return [`${where}: selector ${JSON.stringify(s.spec.selector)} matches no pod template`];
        return (s.spec.ports ?? []).flatMap((p) =>
          selected
            .filter((w) => resolvePort(w.template, p.targetPort ?? p.port) === undefined)
            .map((w) => `${where}: targetPort ${String(p.targetPort ?? p.port)} is no container port of ${w.label}`),
        );
      });
    expect(problems).toEqual([]);
  });

  it('has ExternalName Services only with a DNS name to point at', () => {
    const problems = services(b)
      .filter((s) => s.spec.type === 'ExternalName')
      .filter(
        (s) => !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(s.spec.externalName ?? ''),
      )
      .map((s) => `${describeManifest(s.manifest)}: externalName ${String(s.spec.externalName)} is not a DNS name`);
    expect(problems).toEqual([]);
  });

  it('points every address variable of the application at a Service of the build, on a port it serves', () => {
    const problems = appContainers(b).flatMap((a) =>
      ADDRESS_VARIABLES.filter((key) => a.env[key] !== undefined).flatMap((key) => {
        const value = a.env[key] ?? '';
        const address = hostAndPort(value);
        const service = address && serviceForHost(b, address.host);
        if (!address || !service) return [`${a.label}: ${key}=${value} names no Service of the build`];
        const ports = (service.spec.ports ?? []).map((p) => p.port);
        if (service.spec.type === 'ExternalName' || address.port === undefined || ports.includes(address.port))
          return [];
        return [`${a.label}: ${key}=${value}, but Service ${service.name} serves ports ${ports.join(', ')}`];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('reads only ConfigMaps of the build in its volumes', () => {
    const configMaps = new Set(manifestsOf(b, 'ConfigMap').map((m) => m.header.metadata.name));
    const problems = workloads(b).flatMap((w) =>
      (w.template.spec.volumes ?? [])
        .filter((v) => v.configMap !== undefined && !configMaps.has(v.configMap.name))
        .map((v) => `${w.label}: volume ${v.name} mounts ConfigMap ${v.configMap?.name ?? ''}, which the build lacks`),
    );
    expect(problems).toEqual([]);
  });

  it('autoscales the API and the workers, and only Deployments of the build', () => {
    const names = new Set(deployments(b).map((d) => d.manifest.header.metadata.name));
    const targets = [
      ...manifestsOf(b, 'HorizontalPodAutoscaler').map((m) => ({
        m,
        ref: parseAs(hpaSchema, m.raw, describeManifest(m)).spec.scaleTargetRef,
      })),
      ...manifestsOf(b, 'ScaledObject').map((m) => ({
        m,
        ref: parseAs(scaledObjectSchema, m.raw, describeManifest(m)).spec.scaleTargetRef,
      })),
    ];
    const dangling = targets
      .filter(({ ref }) => (ref.kind ?? 'Deployment') !== 'Deployment' || !names.has(ref.name))
      .map(
        ({ m, ref }) => `${describeManifest(m)}: scales ${ref.kind ?? 'Deployment'}/${ref.name}, which the build lacks`,
      );
    const scaled = new Set(targets.map((t) => t.ref.name));
    const unscaled = appContainers(b)
      .filter((a) => !a.init && a.workload.manifest.header.kind === 'Deployment')
      .map((a) => a.workload.manifest.header.metadata.name)
      .filter((name) => !scaled.has(name))
      .map((name) => `Deployment/${name} has no HorizontalPodAutoscaler or ScaledObject`);
    const doubled = [...scaled]
      .filter((name) => targets.filter((t) => t.ref.name === name).length > 1)
      .map((name) => `Deployment/${name} has two autoscalers`);
    expect([...dangling, ...unscaled, ...doubled]).toEqual([]);
  });

  it('protects the API and worker Deployments with PodDisruptionBudgets that still let a node drain', () => {
    const budgets = manifestsOf(b, 'PodDisruptionBudget').map((m) => ({
      m,
      spec: parseAs(pdbSchema, m.raw, describeManifest(m)).spec,
    }));
    const problems = budgets
      .filter(
        ({ spec }) => !deployments(b).some((d) => selects(spec.selector.matchLabels, d.template.metadata?.labels)),
      )
      .map(({ m }) => `${describeManifest(m)}: selects no Deployment's pods`);
    const appDeployments = new Set(
      appContainers(b)
        .filter((a) => !a.init)
        .map((a) => a.workload.label),
    );
    for (const d of deployments(b).filter((w) => appDeployments.has(w.label))) {
      const name = d.manifest.header.metadata.name;
      const budget = budgets.find(({ spec }) => selects(spec.selector.matchLabels, d.template.metadata?.labels));
      if (!budget) {
        problems.push(`${d.label}: no PodDisruptionBudget selects its pods`);
        continue;
      }
      // minAvailable must stay below the fewest replicas the autoscaler keeps, or no pod may ever be evicted.
      const { minAvailable } = budget.spec;
      const { hpa, keda } = scalersOf(b, name);
      const fewest = hpa?.minReplicas ?? keda?.minReplicaCount ?? 1;
      if (typeof minAvailable === 'number' && minAvailable >= fewest) {
        problems.push(
          `${describeManifest(budget.m)}: minAvailable ${minAvailable} >= the ${fewest} replica(s) ${name} may scale down to`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps database connections within PostgreSQL max_connections at full scale', () => {
    const perDeployment = appContainers(b)
      .filter((a) => !a.init && a.env.DATABASE_URL !== undefined)
      .map((a) => {
        const name = a.workload.manifest.header.metadata.name;
        const { hpa, keda } = scalersOf(b, name);
        const maxReplicas = hpa?.maxReplicas ?? keda?.maxReplicaCount ?? 1;
        const pool = configNumber(a.entry, a.env, 'DATABASE_POOL_SIZE');
        return { name, pool, maxReplicas, connections: pool * maxReplicas };
      });
    const total = perDeployment.reduce((sum, d) => sum + d.connections, 0);
    expect({ total, fits: total <= POSTGRES_CONNECTION_BUDGET, perDeployment }).toEqual({
      total,
      fits: true,
      perDeployment,
    });
  });

  it('scales workers on the backlog of the task queue they poll (KEDA), when it does', () => {
    const problems = manifestsOf(b, 'ScaledObject').flatMap((m) => {
      const { scaleTargetRef, triggers } = parseAs(scaledObjectSchema, m.raw, describeManifest(m)).spec;
      const worker = appContainers(b).find(
        (a) => a.entry.role === 'worker' && !a.init && a.workload.manifest.header.metadata.name === scaleTargetRef.name,
      );
      if (!worker) return [`${describeManifest(m)}: ${scaleTargetRef.name} runs no worker`];
      return triggers
        .filter((t) => t.type === 'temporal')
        .flatMap((t) => {
          const host = hostAndPort(t.metadata.endpoint ?? '')?.host ?? '';
          return [
            ...(t.metadata.taskQueue === worker.env.TEMPORAL_TASK_QUEUE
              ? []
              : [
                  `${describeManifest(m)}: taskQueue ${String(t.metadata.taskQueue)} is not the worker's TEMPORAL_TASK_QUEUE ${String(worker.env.TEMPORAL_TASK_QUEUE)}`,
                ]),
            ...(t.metadata.namespace === worker.env.TEMPORAL_NAMESPACE
              ? []
              : [
                  `${describeManifest(m)}: namespace ${String(t.metadata.namespace)} is not the worker's TEMPORAL_NAMESPACE`,
                ]),
            ...(serviceForHost(b, host)
              ? []
              : [`${describeManifest(m)}: endpoint ${String(t.metadata.endpoint)} names no Service of the build`]),
          ];
        });
    });
    expect(problems).toEqual([]);
  });
});
