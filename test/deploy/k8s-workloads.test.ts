/**
 * Static checks of the pods in deploy/k8s (each kustomization built the way `kubectl apply -k`
 * would): the API's and workers' environment against their zod schemas, ports and probes against
 * the configured values, and the restricted pod security profile for every container.
 */
import { configNumber, isAcceptedVariable, parseAppEnv, providersIn } from './support/app-env';
import { parseDockerfile } from './support/dockerfile';
import type { Container, Probe } from './support/k8s-objects';
import { readRepoFile } from './support/repo-files';
import {
  KUSTOMIZATIONS,
  appContainers,
  build,
  containersOf,
  resolvePort,
  workloads,
  type AppContainer,
} from './support/workloads';

const kustomizations = KUSTOMIZATIONS.map((dir) => [dir] as const);

function probePort(app: AppContainer, probe: Probe | undefined): number | undefined {
  const ref = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
  return ref === undefined ? undefined : resolvePort(app.workload.template, ref);
}

function namedPort(container: Container, name: string): number | undefined {
  return container.ports?.find((p) => p.name === name)?.containerPort;
}

/** Seconds a preStop hook delays SIGTERM (`sleep N` or the sleep action). */
function preStopSeconds(container: Container): number {
  const hook = container.lifecycle?.preStop;
  if (hook?.sleep) return hook.sleep.seconds;
  const command = hook?.exec?.command ?? [];
  const index = command.indexOf('sleep');
  return index >= 0 ? Number(command[index + 1] ?? 0) : 0;
}

describe.each(kustomizations)('Kubernetes workloads of %s', (dir) => {
  const b = build(dir);
  const apps = appContainers(b);
  const running = apps.filter((a) => !a.init);

  it('runs the API, the workers and the migrations', () => {
    expect([...new Set(apps.map((a) => a.entry.role))].sort()).toEqual(['api', 'db-setup', 'worker']);
  });

  it('resolves every env reference (ConfigMaps of the build, keys of the example Secret)', () => {
    expect(apps.flatMap((a) => a.envProblems)).toEqual([]);
  });

  it('sets only variables the process configuration schema reads (or OTEL_*)', () => {
    const unknown = apps.flatMap((a) =>
      Object.keys(a.env)
        .filter((key) => !isAcceptedVariable(a.entry, key))
        .map((key) => `${a.label} (${a.entry.role}): ${key} is not read by the ${a.entry.role} configuration schema`),
    );
    expect(unknown).toEqual([]);
  });

  it('gives each process an environment that parses, in production mode', () => {
    const problems = apps.flatMap((a) => {
      const parsed = parseAppEnv(a.entry, a.env);
      if (!parsed.ok) return parsed.problems.map((p) => `${a.label} (${a.entry.role}): ${p}`);
      return parsed.config.NODE_ENV === 'production'
        ? []
        : [`${a.label}: NODE_ENV is ${String(parsed.config.NODE_ENV)}, not production`];
    });
    expect(problems).toEqual([]);
  });

  it('has the API and the workers agree on the payment provider and carrier (PROVIDERS)', () => {
    const chosen = apps.map((a) => `${a.label} (${a.entry.role}): ${providersIn(a.entry, a.env)}`);
    const values = new Set(apps.map((a) => providersIn(a.entry, a.env)));
    expect({ values: [...values], chosen }).toEqual({ values: ['simulated'], chosen });
  });

  it('runs the application from the image the kustomization pins', () => {
    const pinned = new Set(b.images.map((i) => i.name));
    const problems = apps
      .filter((a) => !pinned.has(a.container.image))
      .map((a) => `${a.label}: image ${a.container.image} is not in the kustomization's images`);
    expect(problems).toEqual([]);
  });

  it("runs Node only in the application image, whose Node is the Dockerfile's pinned release", () => {
    // test/deploy/dockerfile.test.ts checks that release; a stock node image here would bypass it.
    const problems = workloads(b).flatMap((w) =>
      containersOf(w)
        .map(({ container }) => container)
        .filter((c) => /^(docker\.io\/)?(library\/)?node(:|@|$)/.test(c.image))
        .map((c) => `${w.label} container ${c.name}: runs the stock image ${c.image}, not the application image`),
    );
    expect(problems).toEqual([]);
  });

  it('pins every other image to a version', () => {
    const pinned = new Set(b.images.map((i) => i.name));
    const problems = workloads(b).flatMap((w) =>
      containersOf(w)
        .map(({ container }) => container)
        .filter((c) => !pinned.has(c.image))
        .filter((c) => {
          const tag = c.image.split('/').pop()?.split(':')[1];
          return tag === undefined || tag === 'latest';
        })
        .map((c) => `${w.label} container ${c.name}: image ${c.image} is not pinned`),
    );
    expect(problems).toEqual([]);
  });

  it('serves the API on PORT with liveness on /healthz and readiness on /readyz', () => {
    const problems = running
      .filter((a) => a.entry.role === 'api')
      .flatMap((a) => {
        const port = configNumber(a.entry, a.env, 'PORT');
        const { livenessProbe, readinessProbe } = a.container;
        return [
          ...(namedPort(a.container, 'http') === port ? [] : [`${a.label}: containerPort "http" is not PORT ${port}`]),
          ...(livenessProbe?.httpGet?.path === '/healthz' && probePort(a, livenessProbe) === port
            ? []
            : [`${a.label}: livenessProbe is not GET /healthz on PORT ${port}`]),
          ...(readinessProbe?.httpGet?.path === '/readyz' && probePort(a, readinessProbe) === port
            ? []
            : [`${a.label}: readinessProbe is not GET /readyz on PORT ${port}`]),
        ];
      });
    expect(problems).toEqual([]);
  });

  it('probes the workers on their METRICS_PORT, the only port a worker serves', () => {
    const problems = running
      .filter((a) => a.entry.role === 'worker')
      .flatMap((a) => {
        const port = configNumber(a.entry, a.env, 'METRICS_PORT');
        const probe = a.container.livenessProbe;
        return [
          ...(port > 0 ? [] : [`${a.label}: METRICS_PORT is 0, so nothing answers a probe`]),
          ...(probe !== undefined && probePort(a, probe) === port
            ? []
            : [`${a.label}: livenessProbe does not target METRICS_PORT ${port}`]),
          ...(probe?.httpGet === undefined || probe.httpGet.path === '/metrics'
            ? []
            : [`${a.label}: liveness path is not /metrics`]),
        ];
      });
    expect(problems).toEqual([]);
  });

  it('exposes METRICS_PORT as the "metrics" port and announces it to Prometheus', () => {
    const problems = running.flatMap((a) => {
      const port = configNumber(a.entry, a.env, 'METRICS_PORT');
      const annotations = a.workload.template.metadata?.annotations ?? {};
      return [
        ...(namedPort(a.container, 'metrics') === port
          ? []
          : [`${a.label}: containerPort "metrics" is not METRICS_PORT ${port}`]),
        ...(annotations['prometheus.io/port'] === String(port)
          ? []
          : [`${a.label}: prometheus.io/port is not METRICS_PORT ${port}`]),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('runs the workers versioned, all as one Worker Deployment, with the build id of their image', () => {
    const settings = running
      .filter((a) => a.entry.role === 'worker')
      .map((a) => {
        const parsed = parseAppEnv(a.entry, a.env);
        if (!parsed.ok) throw new Error(`${a.label}: ${parsed.problems.join('; ')}`);
        const c = parsed.config;
        return { versioning: c.WORKER_VERSIONING, deployment: c.WORKER_DEPLOYMENT_NAME, buildId: c.WORKER_BUILD_ID };
      });
    expect(settings.length).toBeGreaterThan(0);
    // A fixed WORKER_BUILD_ID in a manifest would outlive the image it was right for.
    for (const s of settings) expect(s).toEqual({ versioning: 'on', deployment: 'commerce', buildId: undefined });
  });

  it('lets SIGTERM drain: terminationGracePeriodSeconds exceeds preStop plus SHUTDOWN_GRACE_MS', () => {
    const problems = running.flatMap((a) => {
      const graceMs = configNumber(a.entry, a.env, 'SHUTDOWN_GRACE_MS');
      const needMs = graceMs + preStopSeconds(a.container) * 1000;
      const periodMs = (a.workload.template.spec.terminationGracePeriodSeconds ?? 30) * 1000;
      return periodMs > needMs
        ? []
        : [
            `${a.label}: terminationGracePeriodSeconds ${periodMs / 1000} s <= preStop + SHUTDOWN_GRACE_MS (${needMs} ms)`,
          ];
    });
    expect(problems).toEqual([]);
  });

  it('runs every container non-root, read-only, unprivileged, with RuntimeDefault seccomp and resource requests', () => {
    const problems = workloads(b).flatMap((w) => {
      const pod = w.template.spec.securityContext;
      return containersOf(w).flatMap(({ container: c }) => {
        const sc = c.securityContext;
        const where = `${w.label} container ${c.name}`;
        const runAsUser = sc?.runAsUser ?? pod?.runAsUser;
        return [
          ...((sc?.runAsNonRoot ?? pod?.runAsNonRoot) === true ? [] : [`${where}: runAsNonRoot is not true`]),
          ...(runAsUser !== 0 ? [] : [`${where}: runAsUser is 0`]),
          ...(sc?.readOnlyRootFilesystem === true ? [] : [`${where}: readOnlyRootFilesystem is not true`]),
          ...(sc?.allowPrivilegeEscalation === false ? [] : [`${where}: allowPrivilegeEscalation is not false`]),
          ...(sc?.privileged !== true ? [] : [`${where}: privileged`]),
          ...(sc?.capabilities?.drop?.includes('ALL') ? [] : [`${where}: capabilities do not drop ALL`]),
          ...((sc?.seccompProfile ?? pod?.seccompProfile)?.type === 'RuntimeDefault'
            ? []
            : [`${where}: seccompProfile is not RuntimeDefault`]),
          ...(c.resources?.requests?.cpu !== undefined ? [] : [`${where}: no cpu request`]),
          ...(c.resources?.requests?.memory !== undefined ? [] : [`${where}: no memory request`]),
        ];
      });
    });
    expect(problems).toEqual([]);
  });

  it('runs the application as the user the Dockerfile ends with', () => {
    const stages = parseDockerfile(readRepoFile('Dockerfile'));
    const user = stages[stages.length - 1]?.instructions.filter((i) => i.keyword === 'USER').pop()?.args ?? '';
    const uid = user.split(':')[0];
    const problems = apps.flatMap((a) => {
      const runAsUser = a.container.securityContext?.runAsUser ?? a.workload.template.spec.securityContext?.runAsUser;
      return runAsUser === undefined || String(runAsUser) === uid
        ? []
        : [`${a.label}: runAsUser ${runAsUser} differs from the Dockerfile's USER ${user}`];
    });
    expect(problems).toEqual([]);
  });

  it('gives every application container a writable /tmp, the one place Node and the SDK may write', () => {
    const problems = apps.flatMap((a) => {
      const tmp = a.container.volumeMounts?.find((m) => m.mountPath === '/tmp');
      return tmp !== undefined && tmp.readOnly !== true ? [] : [`${a.label}: no writable volume mounted at /tmp`];
    });
    expect(problems).toEqual([]);
  });
});
