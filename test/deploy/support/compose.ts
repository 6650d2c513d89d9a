/**
 * docker-compose.yml as the deploy tests read it: the parts of the Compose format this repository
 * uses, validated with zod, and normalised (environment as a map, commands as arrays, container
 * ports as numbers) so the checks stay simple.
 */
import { z } from 'zod';
import { loadYamlFile } from './repo-files';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const stringList = z.union([z.string(), z.array(z.string())]);

const serviceSchema = z.looseObject({
  image: z.string().optional(),
  build: z.union([z.string(), z.looseObject({ context: z.string().optional() })]).optional(),
  command: stringList.optional(),
  entrypoint: stringList.optional(),
  environment: z.union([z.record(z.string(), scalar), z.array(z.string())]).optional(),
  ports: z.array(z.union([z.string(), z.number(), z.looseObject({ target: z.number() })])).optional(),
  depends_on: z
    .union([z.array(z.string()), z.record(z.string(), z.looseObject({ condition: z.string().optional() }))])
    .optional(),
  healthcheck: z.looseObject({ test: stringList }).optional(),
  volumes: z
    .array(z.union([z.string(), z.looseObject({ type: z.string(), source: z.string().optional() })]))
    .optional(),
  read_only: z.boolean().optional(),
  tmpfs: stringList.optional(),
  stop_grace_period: z.string().optional(),
  deploy: z.looseObject({ replicas: z.number().optional() }).optional(),
});

const composeFileSchema = z.looseObject({
  name: z.string().optional(),
  services: z.record(z.string(), serviceSchema),
  volumes: z.record(z.string(), z.unknown()).optional(),
});

export type ComposeService = z.infer<typeof serviceSchema>;

export const COMPOSE_FILE = 'docker-compose.yml';

export function loadCompose(): z.infer<typeof composeFileSchema> {
  const parsed = composeFileSchema.safeParse(loadYamlFile(COMPOSE_FILE));
  if (!parsed.success) {
    throw new Error(
      `${COMPOSE_FILE}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/**
 * The environment of a service as `docker compose up` would set it with `shell` as the shell's
 * variables and no .env file: `${VAR:-x}` becomes x, `${VAR:?message}` takes VAR from `shell`
 * (reported when missing: compose would stop). `${VAR}` without a default is reported, because a
 * laptop run must need nothing but the secrets that may not have a published default.
 */
export function serviceEnvironment(
  name: string,
  service: ComposeService,
  shell: Record<string, string> = {},
): { env: Record<string, string>; problems: string[]; required: string[] } {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  const required: string[] = [];
  const entries: [string, string][] = Array.isArray(service.environment)
    ? service.environment.map((line): [string, string] => {
        const eq = line.indexOf('=');
        return eq < 0 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([k, v]): [string, string] => [k, v === null ? '' : String(v)]);
  for (const [key, raw] of entries) {
    env[key] = raw.replace(
      INTERPOLATION,
      (_whole, variable: string, operator: string | undefined, fallback: string | undefined) => {
        if (operator === undefined) problems.push(`service ${name}: ${key} uses \${${variable}} without a default`);
        if (operator?.endsWith('?')) {
          required.push(variable);
          const value = shell[variable];
          if (value === undefined) problems.push(`service ${name}: ${key} requires ${variable} from the shell`);
          return value ?? '';
        }
        return fallback ?? '';
      },
    );
  }
  return { env, problems, required };
}

/** The command as an argument list (string commands split on whitespace, as Compose does). */
export function asArgs(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.trim().split(/\s+/);
}

/** Container-side port of every `ports` entry ("127.0.0.1:3000:3000", "3000", {target: 3000}). */
export function containerPorts(service: ComposeService): number[] {
  return (service.ports ?? []).map((entry) => {
    if (typeof entry === 'number') return entry;
    if (typeof entry === 'object') return entry.target;
    const last = entry.split(':').pop() ?? '';
    return Number(last.split('/')[0]);
  });
}

/** Bind-mounted host paths that are repository files (`./deploy/...:/container/path`). */
export function repositoryMounts(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? []).flatMap((volume) => {
    if (typeof volume !== 'string') return [];
    const [source, target] = volume.split(':');
    if (source === undefined || target === undefined || !source.startsWith('./')) return [];
    return [{ source: source.slice(2), target }];
  });
}

export function dependsOn(service: ComposeService): Record<string, string | undefined> {
  const deps = service.depends_on;
  if (deps === undefined) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([d, v]) => [d, v.condition]));
}

/** Seconds of a Compose duration ("40s", "1m30s"). */
export function durationSeconds(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0) throw new Error(`not a duration: ${value}`);
  const factor = (unit: string | undefined): number =>
    unit === 'ms' ? 0.001 : unit === 'm' ? 60 : unit === 'h' ? 3600 : 1;
  return parts.reduce((sum, p) => sum + Number(p[1]) * factor(p[2]), 0);
}
