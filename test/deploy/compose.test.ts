/**
 * Static checks of docker-compose.yml, the laptop path (`docker compose up`): the services exist,
 * every variable given to the API and workers is one their zod schema reads and parses as the
 * process would, and every name, port and file the stack refers to exists.
 */
import { randomBytes } from 'node:crypto';
import {
  ADDRESS_VARIABLES,
  configNumber,
  entrypointOf,
  hostAndPort,
  isAcceptedVariable,
  parseAppEnv,
  providersIn,
  type AppEntrypoint,
} from './support/app-env';
import {
  COMPOSE_FILE,
  asArgs,
  containerPorts,
  dependsOn,
  durationSeconds,
  loadCompose,
  repositoryMounts,
  serviceEnvironment,
  type ComposeService,
} from './support/compose';
import { scrapeTargets } from './support/prometheus';
import { repoFileExists } from './support/repo-files';

const compose = loadCompose();
const services = Object.entries(compose.services);
const serviceNames = new Set(Object.keys(compose.services));

interface AppService {
  name: string;
  service: ComposeService;
  entry: AppEntrypoint;
  env: Record<string, string>;
}

/** What an operator exports before `docker compose up`: the secrets compose has no default for. */
const SECRETS = ['JWT_SECRET', 'PAYMENT_WEBHOOK_SECRET', 'CARRIER_WEBHOOK_SECRET'];
const shell = Object.fromEntries(SECRETS.map((k) => [k, randomBytes(32).toString('base64')]));

const appServices: AppService[] = services.flatMap(([name, service]) => {
  const entry = entrypointOf([...asArgs(service.entrypoint), ...asArgs(service.command)]);
  return entry ? [{ name, service, entry, env: serviceEnvironment(name, service, shell).env }] : [];
});

/** Services that run once and exit: the migrations, and the release step making the workers' build current. */
const isOneShot = (s: AppService): boolean => s.entry.role === 'db-setup' || s.entry.role === 'worker-release';
const longRunning = (): AppService[] => appServices.filter((s) => !isOneShot(s));

function appService(role: AppEntrypoint['role']): AppService {
  const found = appServices.find((s) => s.entry.role === role);
  if (!found) throw new Error(`${COMPOSE_FILE}: no service runs the ${role} (${role} entry point)`);
  return found;
}

function env(name: string): Record<string, string> {
  const service = compose.services[name];
  if (!service) throw new Error(`${COMPOSE_FILE}: no service ${name}`);
  return serviceEnvironment(name, service, shell).env;
}

describe('docker-compose.yml', () => {
  it('has the whole stack: PostgreSQL, Redis, Temporal and its UI, API, workers, migrations, tracing, Prometheus', () => {
    const required = [
      'postgres',
      'redis',
      'temporal',
      'temporal-ui',
      'temporal-setup',
      'migrate',
      'api',
      'worker',
      'prometheus',
    ];
    expect(required.filter((s) => !serviceNames.has(s))).toEqual([]);
    expect(['jaeger', 'otel-collector'].some((s) => serviceNames.has(s))).toBe(true);
    expect(appServices.map((s) => `${s.name}: ${s.entry.role}`).sort()).toEqual([
      'api: api',
      'migrate: db-setup',
      'worker-release: worker-release',
      'worker: worker',
    ]);
  });

  it('runs Temporal on the PostgreSQL service', () => {
    const temporal = env('temporal');
    const seeds = temporal.POSTGRES_SEEDS ?? '';
    expect({ DB: temporal.DB, seedsImage: compose.services[seeds]?.image?.split(':')[0] }).toEqual({
      DB: 'postgres12',
      seedsImage: 'postgres',
    });
  });

  it('gives the API and the workers only variables their configuration schema reads (or OTEL_*)', () => {
    const unknown = appServices.flatMap(({ name, entry, env: vars }) =>
      Object.keys(vars)
        .filter((key) => !isAcceptedVariable(entry, key))
        .map((key) => `service ${name} (${entry.role}): ${key} is not read by the ${entry.role} configuration schema`),
    );
    expect(unknown).toEqual([]);
  });

  it('gives them an environment that parses as in production', () => {
    const problems = appServices.flatMap(({ name, entry, env: vars }) => {
      const parsed = parseAppEnv(entry, vars);
      if (!parsed.ok) return parsed.problems.map((p) => `service ${name} (${entry.role}): ${p}`);
      return parsed.config.NODE_ENV === 'production'
        ? []
        : [`service ${name}: NODE_ENV is ${String(parsed.config.NODE_ENV)}, not production`];
    });
    expect(problems).toEqual([]);
  });

  it('has the API and the workers agree on the payment provider and carrier (PROVIDERS)', () => {
    const chosen = appServices.map(({ name, entry, env: vars }) => `service ${name}: ${providersIn(entry, vars)}`);
    const values = new Set(appServices.map(({ entry, env: vars }) => providersIn(entry, vars)));
    expect({ values: [...values], chosen }).toEqual({ values: ['simulated'], chosen });
  });

  it('needs no .env file beyond the secrets: every other ${VAR} has a default', () => {
    expect(services.flatMap(([name, service]) => serviceEnvironment(name, service, shell).problems)).toEqual([]);
  });

  it('publishes no secret: the API requires JWT_SECRET and the webhook secrets from the shell', () => {
    const required = services.flatMap(([, service]) => serviceEnvironment('x', service).required);
    expect([...new Set(required)].sort()).toEqual([...SECRETS].sort());
  });

  it('points every address variable at a service of the stack', () => {
    const problems = services.flatMap(([name, service]) => {
      const vars = serviceEnvironment(name, service).env;
      const addresses = [...ADDRESS_VARIABLES, 'POSTGRES_SEEDS'].filter((key) => vars[key] !== undefined);
      return addresses.flatMap((key) => {
        const host = key === 'POSTGRES_SEEDS' ? vars[key] : hostAndPort(vars[key] ?? '')?.host;
        return host !== undefined && serviceNames.has(host)
          ? []
          : [`service ${name}: ${key}=${vars[key]} names no service of the stack`];
      });
    });
    expect(problems).toEqual([]);
  });

  it('sends traces over OTLP/HTTP (port 4318) when tracing is on', () => {
    const problems = appServices.flatMap((app) => {
      const { name, env: vars } = app;
      const endpoint = vars.OTEL_EXPORTER_OTLP_ENDPOINT;
      if (endpoint === undefined) return [];
      const port = hostAndPort(endpoint)?.port;
      const protocol = vars.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
      return [
        ...(port === 4318
          ? []
          : [`service ${name}: OTEL_EXPORTER_OTLP_ENDPOINT ${endpoint} is not the OTLP/HTTP port 4318`]),
        ...(protocol.startsWith('http/')
          ? []
          : [`service ${name}: OTEL_EXPORTER_OTLP_PROTOCOL ${protocol} is not OTLP over HTTP`]),
        ...(vars.OTEL_SERVICE_NAME || isOneShot(app) ? [] : [`service ${name}: OTEL_SERVICE_NAME is not set`]),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('publishes the API on its PORT and health-checks /readyz there', () => {
    const api = appService('api');
    const port = configNumber(api.entry, api.env, 'PORT');
    const test = asArgs(api.service.healthcheck?.test).join(' ');
    expect({
      published: containerPorts(api.service).includes(port),
      healthcheck: test.includes(`:${port}/readyz`),
    }).toEqual({
      published: true,
      healthcheck: true,
    });
  });

  it('scrapes the METRICS_PORT of the API and of the workers (and only services of the stack)', () => {
    const prometheus = services.find(([, s]) => s.image?.startsWith('prom/prometheus'));
    if (!prometheus) throw new Error(`${COMPOSE_FILE}: no prom/prometheus service`);
    const mount = repositoryMounts(prometheus[1]).find((m) => m.target === '/etc/prometheus/prometheus.yml');
    if (!mount)
      throw new Error(
        `${COMPOSE_FILE}: service ${prometheus[0]} mounts no repository file at /etc/prometheus/prometheus.yml`,
      );
    const targets = scrapeTargets(mount.source);
    const problems = targets
      .filter((t) => !serviceNames.has(t.host))
      .map((t) => `${mount.source} job ${t.job}: target host ${t.host} is no service of the stack`);
    for (const app of longRunning()) {
      const metricsPort = configNumber(app.entry, app.env, 'METRICS_PORT');
      const scraped = targets.filter((t) => t.host === app.name);
      if (scraped.length === 0) problems.push(`${mount.source}: service ${app.name} is not scraped`);
      for (const t of scraped.filter((s) => s.port !== metricsPort)) {
        problems.push(
          `${mount.source} job ${t.job}: scrapes ${app.name}:${String(t.port)}, but its METRICS_PORT is ${metricsPort}`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('starts the API and workers after migrations and the Temporal namespace setup succeeded', () => {
    const problems = longRunning().flatMap(({ name, service }) => {
      const deps = dependsOn(service);
      return ['migrate', 'temporal-setup']
        .filter((d) => deps[d] !== 'service_completed_successfully')
        .map((d) => `service ${name}: does not wait for ${d} to complete successfully`);
    });
    const dangling = services.flatMap(([name, service]) =>
      Object.keys(dependsOn(service))
        .filter((d) => !serviceNames.has(d))
        .map((d) => `service ${name}: depends on unknown service ${d}`),
    );
    expect([...problems, ...dangling]).toEqual([]);
  });

  it("makes the workers' build current with the workers' own versioning settings, after they start", () => {
    const worker = appService('worker');
    const release = appService('worker-release');
    const settings = (app: AppService) => {
      const config = parseAppEnv(app.entry, app.env);
      if (!config.ok) throw new Error(`service ${app.name}: ${config.problems.join('; ')}`);
      const c = config.config;
      return [
        c.WORKER_VERSIONING,
        c.WORKER_DEPLOYMENT_NAME,
        c.WORKER_BUILD_ID,
        c.TEMPORAL_ADDRESS,
        c.TEMPORAL_NAMESPACE,
      ];
    };
    expect(settings(worker)[0]).toBe('on');
    expect(settings(release)).toEqual(settings(worker));
    expect(dependsOn(release.service)[worker.name]).toBe('service_started');
    expect(release.service.restart).toBe('on-failure');
  });

  it('gives in-flight work time to drain: stop_grace_period exceeds SHUTDOWN_GRACE_MS', () => {
    const problems = longRunning().flatMap(({ name, service, entry, env: vars }) => {
      const graceMs = configNumber(entry, vars, 'SHUTDOWN_GRACE_MS');
      const stopMs = durationSeconds(service.stop_grace_period ?? '10s') * 1000;
      return stopMs > graceMs
        ? []
        : [`service ${name}: stop_grace_period ${stopMs} ms <= SHUTDOWN_GRACE_MS ${graceMs} ms`];
    });
    expect(problems).toEqual([]);
  });

  it('runs the application containers read-only with a writable /tmp, from the Dockerfile image and its Node', () => {
    const problems = appServices.flatMap(({ name, service }) => [
      ...(service.read_only === true ? [] : [`service ${name}: read_only is not true`]),
      ...(asArgs(service.tmpfs).includes('/tmp') ? [] : [`service ${name}: no tmpfs at /tmp`]),
      ...(service.build !== undefined ? [] : [`service ${name}: not built from the Dockerfile`]),
      // The Dockerfile's NODE_IMAGE is the pinned Node.js (test/deploy/dockerfile.test.ts).
      ...(JSON.stringify(service.build ?? '').includes('NODE_IMAGE')
        ? [`service ${name}: overrides the Dockerfile's NODE_IMAGE`]
        : []),
    ]);
    expect(problems).toEqual([]);
  });

  it('mounts only repository files that exist', () => {
    const missing = services.flatMap(([name, service]) =>
      repositoryMounts(service)
        .filter((m) => !repoFileExists(m.source))
        .map((m) => `service ${name}: mounts missing file ./${m.source}`),
    );
    expect(missing).toEqual([]);
  });

  it('pins every pulled image to a version', () => {
    const unpinned = services
      .filter(([, s]) => s.build === undefined)
      .flatMap(([name, s]) => {
        const tag = s.image?.split('/').pop()?.split(':')[1];
        return tag === undefined || tag === 'latest' ? [`service ${name}: image ${String(s.image)} is not pinned`] : [];
      });
    expect(unpinned).toEqual([]);
  });
});
