/**
 * Static checks of what the platform needs from its Temporal cluster: the Helm values for
 * Temporal's official chart (PostgreSQL persistence and SQL visibility, the UI, the namespace the
 * application uses, updates and update-with-start enabled), and the namespace setup script that
 * registers the search attributes the workflows write.
 */
import { z } from 'zod';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { loadCompose, repositoryMounts, serviceEnvironment } from './support/compose';
import { configMapData } from './support/k8s-env';
import { parseAs } from './support/k8s-objects';
import { loadYamlFile, readRepoFile } from './support/repo-files';
import { appContainers, build } from './support/workloads';

const VALUES_FILE = 'deploy/temporal/values.postgresql.yaml';
const SETUP_SCRIPT = 'deploy/k8s/base/temporal/register-search-attributes.sh';

const sqlStore = z.looseObject({
  pluginName: z.string(),
  databaseName: z.string(),
  connectAddr: z.string(),
  user: z.string(),
  existingSecret: z.string().optional(),
  password: z.string().optional(),
});

const valuesSchema = z.looseObject({
  server: z.looseObject({
    config: z.looseObject({
      persistence: z.looseObject({
        defaultStore: z.string(),
        visibilityStore: z.string(),
        numHistoryShards: z.number(),
        datastores: z.record(
          z.string(),
          z.looseObject({
            sql: sqlStore.optional(),
            elasticsearch: z.unknown().optional(),
            cassandra: z.unknown().optional(),
          }),
        ),
      }),
      namespaces: z.looseObject({
        create: z.boolean(),
        namespace: z.array(z.looseObject({ name: z.string(), retention: z.string().optional() })),
      }),
    }),
    dynamicConfig: z.record(z.string(), z.array(z.looseObject({ value: z.unknown() }))).optional(),
  }),
  web: z.looseObject({ enabled: z.boolean() }),
  elasticsearch: z.looseObject({ enabled: z.boolean() }).optional(),
});

const values = parseAs(valuesSchema, loadYamlFile(VALUES_FILE), VALUES_FILE);

/** TEMPORAL_NAMESPACE of every application container in the base build. */
function appNamespaces(): string[] {
  return [...new Set(appContainers(build('deploy/k8s/base')).map((a) => a.env.TEMPORAL_NAMESPACE ?? 'default'))];
}

describe('Temporal Helm values', () => {
  it('keep persistence and visibility on PostgreSQL (SQL visibility, no Elasticsearch)', () => {
    const { defaultStore, visibilityStore, datastores } = values.server.config.persistence;
    const problems = [defaultStore, visibilityStore].flatMap((store) => {
      const ds = datastores[store];
      if (!ds) return [`${VALUES_FILE}: datastore ${store} is not defined`];
      return [
        ...(ds.sql?.pluginName.startsWith('postgres12')
          ? []
          : [`${VALUES_FILE}: datastore ${store} is not SQL on postgres12`]),
        ...(ds.elasticsearch === undefined ? [] : [`${VALUES_FILE}: datastore ${store} uses Elasticsearch`]),
      ];
    });
    expect([
      ...problems,
      ...(values.elasticsearch?.enabled === true ? [`${VALUES_FILE}: elasticsearch.enabled`] : []),
    ]).toEqual([]);
  });

  it('take database passwords from a Secret, never from the values file', () => {
    const stores = Object.entries(values.server.config.persistence.datastores);
    const problems = stores.flatMap(([name, ds]) => [
      ...(ds.sql?.password === undefined ? [] : [`${VALUES_FILE}: datastore ${name} has a plaintext password`]),
      ...(ds.sql?.existingSecret !== undefined ? [] : [`${VALUES_FILE}: datastore ${name} names no existingSecret`]),
    ]);
    expect(problems).toEqual([]);
  });

  it('create the namespace the application uses and enable the Web UI', () => {
    const created = values.server.config.namespaces.create
      ? values.server.config.namespaces.namespace.map((n) => n.name)
      : [];
    expect({ missing: appNamespaces().filter((n) => !created.includes(n)), web: values.web.enabled }).toEqual({
      missing: [],
      web: true,
    });
  });

  it('enable updates and update-with-start, which checkout and cancellation use', () => {
    const enabled = (key: string): boolean =>
      values.server.dynamicConfig?.[key]?.some((v) => v.value === true) === true;
    expect({
      update: enabled('frontend.enableUpdateWorkflowExecution'),
      updateWithStart: enabled('frontend.enableExecuteMultiOperation'),
    }).toEqual({ update: true, updateWithStart: true });
  });
});

describe('Temporal namespace setup', () => {
  const script = readRepoFile(SETUP_SCRIPT);

  it('registers exactly the search attributes the workflows define, as Keyword', () => {
    const listed = /^ATTRIBUTES="([^"]*)"/m.exec(script)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
    const types = new Set([...script.matchAll(/--type (\w+)/g)].map((m) => m[1]));
    const defined = CUSTOM_SEARCH_ATTRIBUTES.map((a) => a.name);
    const problems = [
      ...defined
        .filter((name) => !listed.includes(name))
        .map((name) => `${SETUP_SCRIPT}: does not register ${name} (workflows/search-attributes.ts)`),
      ...listed
        .filter((name) => !defined.includes(name))
        .map((name) => `${SETUP_SCRIPT}: registers ${name}, which no workflow defines`),
      ...[...types]
        .filter((t) => !CUSTOM_SEARCH_ATTRIBUTES.some((a) => a.type === t))
        .map((t) => `${SETUP_SCRIPT}: registers attributes as ${String(t)}`),
    ];
    expect(problems).toEqual([]);
  });

  it('runs in Kubernetes from the same script, for the namespace the application uses', () => {
    const base = build('deploy/k8s/base');
    const generated = Object.values(configMapData(base, 'temporal-setup-script') ?? {});
    const job = appNamespaces();
    expect({ sameScript: generated.includes(script), namespaces: job }).toEqual({
      sameScript: true,
      namespaces: [configMapData(base, 'commerce-shared')?.TEMPORAL_NAMESPACE],
    });
  });

  it('runs in Compose from the same script, for the namespace the application uses', () => {
    const compose = loadCompose();
    const setup = Object.entries(compose.services).find(([, s]) =>
      repositoryMounts(s).some((m) => m.source === SETUP_SCRIPT),
    );
    if (!setup) throw new Error(`docker-compose.yml: no service mounts ${SETUP_SCRIPT}`);
    const [name, service] = setup;
    const api = compose.services.api;
    const apiNamespace = api ? serviceEnvironment('api', api).env.TEMPORAL_NAMESPACE : undefined;
    expect({ service: name, namespace: serviceEnvironment(name, service).env.TEMPORAL_NAMESPACE }).toEqual({
      service: name,
      namespace: apiNamespace,
    });
  });
});
