/**
 * The environment a container of a kustomize build would start with: env and envFrom resolved
 * against the build's ConfigMaps and, for Secrets (never in git), against the example Secret
 * deploy/k8s/secret.example.yaml, whose values have the shape real ones must have.
 */
import { randomBytes } from 'node:crypto';
import { configMapSchema, objectHeaderSchema, parseAs, secretSchema, type Container } from './k8s-objects';
import { describeManifest, manifestsOf, type KustomizeBuild, type Manifest } from './kustomize';
import { loadYamlDocuments } from './repo-files';

export const EXAMPLE_SECRETS_FILE = 'deploy/k8s/secret.example.yaml';

/**
 * Keys whose example values are placeholders production refuses (api/published-secrets.ts): the
 * operator generates them (`openssl rand`, as the example's comment says), so they are stood in
 * for by fresh random values of that shape.
 */
const GENERATED_KEYS = ['JWT_SECRET', 'PAYMENT_WEBHOOK_SECRET', 'CARRIER_WEBHOOK_SECRET'];
const generated = Object.fromEntries(GENERATED_KEYS.map((k) => [k, randomBytes(48).toString('base64')]));

/** name -> key -> value of every Secret in the example file (generated keys replaced, see above). */
export function exampleSecrets(): Map<string, Record<string, string>> {
  const secrets = new Map<string, Record<string, string>>();
  for (const raw of loadYamlDocuments(EXAMPLE_SECRETS_FILE)) {
    const header = parseAs(objectHeaderSchema, raw, EXAMPLE_SECRETS_FILE);
    if (header.kind !== 'Secret') continue;
    const secret = parseAs(secretSchema, raw, EXAMPLE_SECRETS_FILE);
    const decoded = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
    const values: Record<string, string> = { ...decoded, ...secret.stringData };
    for (const key of GENERATED_KEYS) if (key in values) values[key] = generated[key] ?? '';
    secrets.set(header.metadata.name, values);
  }
  return secrets;
}

export function configMapData(build: KustomizeBuild, name: string): Record<string, string> | undefined {
  const found = manifestsOf(build, 'ConfigMap').find((m) => m.header.metadata.name === name);
  return found && (parseAs(configMapSchema, found.raw, describeManifest(found)).data ?? {});
}

export interface ContainerEnv {
  env: Record<string, string>;
  /** References that resolve to nothing (a missing ConfigMap, Secret key...). */
  problems: string[];
}

export function containerEnv(build: KustomizeBuild, manifest: Manifest, container: Container): ContainerEnv {
  const where = `${describeManifest(manifest)} container ${container.name}`;
  const secrets = exampleSecrets();
  const env: Record<string, string> = {};
  const problems: string[] = [];

  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    if (source.configMapRef) {
      const data = configMapData(build, source.configMapRef.name);
      if (data === undefined)
        problems.push(`${where}: envFrom ConfigMap ${source.configMapRef.name} is not in the build`);
      for (const [k, v] of Object.entries(data ?? {})) env[prefix + k] = v;
    }
    if (source.secretRef) {
      const data = secrets.get(source.secretRef.name);
      if (data === undefined)
        problems.push(`${where}: envFrom Secret ${source.secretRef.name} is not in ${EXAMPLE_SECRETS_FILE}`);
      for (const [k, v] of Object.entries(data ?? {})) env[prefix + k] = v;
    }
  }

  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (variable.value !== undefined) {
      env[variable.name] = variable.value;
    } else if (from?.secretKeyRef) {
      const { name, key } = from.secretKeyRef;
      const value = secrets.get(name)?.[key];
      if (value === undefined)
        problems.push(
          `${where}: ${variable.name} reads Secret ${name} key ${key}, which ${EXAMPLE_SECRETS_FILE} lacks`,
        );
      env[variable.name] = value ?? '';
    } else if (from?.configMapKeyRef) {
      const { name, key } = from.configMapKeyRef;
      const value = configMapData(build, name)?.[key];
      if (value === undefined)
        problems.push(`${where}: ${variable.name} reads ConfigMap ${name} key ${key}, which the build lacks`);
      env[variable.name] = value ?? '';
    } else if (from?.fieldRef || from?.resourceFieldRef) {
      env[variable.name] = 'value-from-the-pod';
    } else {
      problems.push(`${where}: ${variable.name} has neither value nor a supported valueFrom`);
    }
  }
  return { env, problems };
}
