/**
 * A small, strict subset of `kustomize build` for the deploy tests: resources (files and
 * directories), namespace, images, configMapGenerator and `$patch: delete` patches. Anything else
 * in a kustomization.yaml throws, so a new kustomize feature gets support here before the tests
 * can silently misread the manifests.
 */
import path from 'node:path';
import { z } from 'zod';
import { parse } from 'yaml';
import { objectHeaderSchema, parseAs, type ObjectHeader } from './k8s-objects';
import { loadYamlDocuments, loadYamlFile, readRepoFile, repoFileExists } from './repo-files';

const kustomizationSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('Kustomization'),
  namespace: z.string().optional(),
  resources: z.array(z.string()).optional(),
  labels: z.array(z.looseObject({ pairs: z.record(z.string(), z.string()) })).optional(),
  images: z
    .array(z.strictObject({ name: z.string(), newName: z.string().optional(), newTag: z.string().optional() }))
    .optional(),
  configMapGenerator: z
    .array(
      z.strictObject({
        name: z.string(),
        files: z.array(z.string()).optional(),
        literals: z.array(z.string()).optional(),
        options: z.looseObject({ disableNameSuffixHash: z.boolean().optional() }).optional(),
      }),
    )
    .optional(),
  patches: z.array(z.strictObject({ patch: z.string() })).optional(),
});

export interface Manifest {
  /** Repository-relative file the object comes from (or the kustomization that generated it). */
  file: string;
  header: ObjectHeader;
  raw: unknown;
}

export interface KustomizeBuild {
  /** Repository-relative directory of the kustomization. */
  dir: string;
  namespace: string | undefined;
  manifests: Manifest[];
  images: { name: string; newName?: string | undefined; newTag?: string | undefined }[];
  /** Every repository file the build read, kustomization files included. */
  files: string[];
}

/** Kinds that live in no namespace: kustomize leaves their metadata.namespace alone. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
]);

export function describeManifest(m: Manifest): string {
  return `${m.file} ${m.header.kind}/${m.header.metadata.name}`;
}

export function kustomize(dir: string): KustomizeBuild {
  const file = `${dir}/kustomization.yaml`;
  const k = parseAs(kustomizationSchema, loadYamlFile(file), file);
  const build: KustomizeBuild = { dir, namespace: k.namespace, manifests: [], images: [], files: [file] };

  for (const resource of k.resources ?? []) {
    const target = path.posix.normalize(`${dir}/${resource}`);
    if (repoFileExists(`${target}/kustomization.yaml`)) {
      const inner = kustomize(target);
      build.manifests.push(...inner.manifests);
      build.images.push(...inner.images);
      build.files.push(...inner.files);
      build.namespace ??= inner.namespace;
    } else if (repoFileExists(target) && /\.ya?ml$/.test(target)) {
      build.files.push(target);
      for (const raw of loadYamlDocuments(target)) {
        const header = parseAs(objectHeaderSchema, raw, target);
        build.manifests.push({ file: target, header, raw });
      }
    } else {
      throw new Error(`${file}: resource ${resource} is neither a YAML file nor a kustomization directory`);
    }
  }

  for (const generator of k.configMapGenerator ?? []) {
    const data: Record<string, string> = {};
    for (const source of generator.files ?? []) {
      const sourceFile = path.posix.normalize(`${dir}/${source}`);
      if (!repoFileExists(sourceFile))
        throw new Error(`${file}: configMapGenerator ${generator.name} reads missing ${sourceFile}`);
      build.files.push(sourceFile);
      data[path.posix.basename(source)] = readRepoFile(sourceFile);
    }
    for (const literal of generator.literals ?? []) {
      const eq = literal.indexOf('=');
      data[literal.slice(0, eq)] = literal.slice(eq + 1);
    }
    const raw = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data };
    build.manifests.push({ file, header: parseAs(objectHeaderSchema, raw, file), raw });
  }

  for (const { patch } of k.patches ?? []) {
    const parsed: unknown = parse(patch);
    const target = parseAs(objectHeaderSchema.extend({ $patch: z.literal('delete') }), parsed, `${file} patch`);
    const before = build.manifests.length;
    build.manifests = build.manifests.filter(
      (m) => !(m.header.kind === target.kind && m.header.metadata.name === target.metadata.name),
    );
    if (build.manifests.length === before) {
      throw new Error(
        `${file}: patch deletes ${target.kind}/${target.metadata.name}, which the build does not contain`,
      );
    }
  }

  if (k.namespace !== undefined) {
    for (const m of build.manifests) {
      if (!CLUSTER_SCOPED.has(m.header.kind))
        m.header = { ...m.header, metadata: { ...m.header.metadata, namespace: k.namespace } };
    }
    build.namespace = k.namespace;
  }
  build.images.push(...(k.images ?? []));
  return build;
}

/** Manifests of `kind` in a build. */
export function manifestsOf(build: KustomizeBuild, kind: string): Manifest[] {
  return build.manifests.filter((m) => m.header.kind === kind);
}
