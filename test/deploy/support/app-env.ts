/**
 * What the application's processes accept as configuration: the scripts the image runs, the zod
 * schema each parses its environment with (the same exported schemas the processes use), and helpers
 * to check a deployment's environment against them.
 */
import { apiEnvSchema } from '../../../api/config';
import { providersOf, type Providers } from '../../../platform/env';
import { workerEnvSchema } from '../../../workers/config';
import { WORKER_PROCESS_ENV } from '../../../workers/node-flags';

type EnvSchema = typeof apiEnvSchema | typeof workerEnvSchema;

export interface AppEntrypoint {
  role: 'api' | 'worker' | 'db-setup' | 'worker-release';
  /** The compiled script a container runs: `node <script>`. */
  script: string;
  /** The TypeScript source it is compiled from. */
  source: string;
  /** The schema that process parses process.env with. */
  schema: EnvSchema;
}

export const APP_ENTRYPOINTS: readonly AppEntrypoint[] = [
  { role: 'api', script: 'dist/app/api/server.js', source: 'api/server.ts', schema: apiEnvSchema },
  { role: 'worker', script: 'dist/app/workers/main.js', source: 'workers/main.ts', schema: workerEnvSchema },
  // tooling/db-setup.ts reads its configuration with loadWorkerConfig.
  { role: 'db-setup', script: 'dist/app/tooling/db-setup.js', source: 'tooling/db-setup.ts', schema: workerEnvSchema },
  // Makes the workers' build current; it reads the workers' configuration (loadWorkerConfig).
  {
    role: 'worker-release',
    script: 'dist/app/tooling/worker-deployment.js',
    source: 'tooling/worker-deployment.ts',
    schema: workerEnvSchema,
  },
];

export function entrypointFor(role: AppEntrypoint['role']): AppEntrypoint {
  const entry = APP_ENTRYPOINTS.find((e) => e.role === role);
  if (!entry) throw new Error(`no entrypoint for ${role}`);
  return entry;
}

/** The entry point a command (`node dist/app/... args`) runs, if it runs one. */
export function entrypointOf(command: readonly string[]): AppEntrypoint | undefined {
  return APP_ENTRYPOINTS.find((e) => command.includes(e.script));
}

export function schemaKeys(entry: AppEntrypoint): string[] {
  return Object.keys(entry.schema.shape);
}

/** Variables the C library reads from a worker's environment (workers/node-flags.ts). */
const WORKER_RUNTIME_VARIABLES = Object.keys(WORKER_PROCESS_ENV);

/**
 * A variable the process reads: a schema key, OpenTelemetry's own OTEL_* read by the SDK, or (for
 * a worker) one the C library reads.
 */
export function isAcceptedVariable(entry: AppEntrypoint, name: string): boolean {
  return (
    name.startsWith('OTEL_') ||
    schemaKeys(entry).includes(name) ||
    (entry.role === 'worker' && WORKER_RUNTIME_VARIABLES.includes(name))
  );
}

export type ParsedEnv = { ok: true; config: Record<string, unknown> } | { ok: false; problems: string[] };

/** Parses `env` exactly as the process would at start-up. */
export function parseAppEnv(entry: AppEntrypoint, env: Record<string, string>): ParsedEnv {
  const parsed = entry.schema.safeParse(env);
  if (parsed.success) {
    const config: Record<string, unknown> = parsed.data;
    return { ok: true, config };
  }
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
}

/** A numeric setting after parsing (the value set, or the schema's default). */
export function configNumber(entry: AppEntrypoint, env: Record<string, string>, key: string): number {
  const parsed = parseAppEnv(entry, env);
  if (!parsed.ok) throw new Error(`${entry.role} environment does not parse: ${parsed.problems.join('; ')}`);
  const value = parsed.config[key];
  if (typeof value !== 'number') throw new Error(`${entry.role} setting ${key} is not a number`);
  return value;
}

/**
 * The payment provider and carrier a process would work with (PROVIDERS, or its default), read as
 * the process reads it: the value it parsed, or the raw value when the environment does not parse.
 */
export function providersIn(entry: AppEntrypoint, env: Record<string, string>): Providers | string {
  const parsed = parseAppEnv(entry, env);
  if (!parsed.ok) return env.PROVIDERS ?? `default for NODE_ENV=${env.NODE_ENV ?? 'development'}`;
  const { NODE_ENV, PROVIDERS } = parsed.config;
  return providersOf({ NODE_ENV: String(NODE_ENV), PROVIDERS: PROVIDERS as Providers | undefined });
}

/** Variables whose value names another service; their host must be a service of the deployment. */
export const ADDRESS_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'TEMPORAL_ADDRESS',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
] as const;

/** Host and port of a URL (`postgresql://user:pw@host:5432/db`) or of a `host:port` address. */
export function hostAndPort(value: string): { host: string; port: number | undefined } | undefined {
  try {
    const url = new URL(value.includes('://') ? value : `tcp://${value}`);
    if (url.hostname === '') return undefined;
    return { host: url.hostname, port: url.port === '' ? undefined : Number(url.port) };
  } catch {
    return undefined;
  }
}
