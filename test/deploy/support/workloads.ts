/** The pods a kustomize build would run, and the application processes among their containers. */
import { entrypointOf, type AppEntrypoint } from './app-env';
import { containerEnv } from './k8s-env';
import { podTemplateOf, type Container, type PodTemplate } from './k8s-objects';
import { describeManifest, kustomize, type KustomizeBuild, type Manifest } from './kustomize';

/** Every kustomization a team applies: the base, and each overlay. */
export const KUSTOMIZATIONS = ['deploy/k8s/base', 'deploy/k8s/overlays/keda'] as const;

export interface Workload {
  manifest: Manifest;
  template: PodTemplate;
  /** "file Kind/name", for messages. */
  label: string;
}

export interface AppContainer {
  workload: Workload;
  container: Container;
  init: boolean;
  entry: AppEntrypoint;
  env: Record<string, string>;
  /** Unresolvable env references. */
  envProblems: string[];
  label: string;
}

const builds = new Map<string, KustomizeBuild>();

/** The build of a kustomization (memoised: every test file reads the same builds). */
export function build(dir: string): KustomizeBuild {
  let built = builds.get(dir);
  if (!built) {
    built = kustomize(dir);
    builds.set(dir, built);
  }
  return built;
}

export function workloads(b: KustomizeBuild): Workload[] {
  return b.manifests.flatMap((manifest) => {
    const label = describeManifest(manifest);
    const template = podTemplateOf(manifest.header, manifest.raw, label);
    return template ? [{ manifest, template, label }] : [];
  });
}

export function containersOf(w: Workload): { container: Container; init: boolean }[] {
  return [
    ...(w.template.spec.initContainers ?? []).map((container) => ({ container, init: true })),
    ...w.template.spec.containers.map((container) => ({ container, init: false })),
  ];
}

export function appContainers(b: KustomizeBuild): AppContainer[] {
  return workloads(b).flatMap((workload) =>
    containersOf(workload).flatMap(({ container, init }) => {
      const entry = entrypointOf([...(container.command ?? []), ...(container.args ?? [])]);
      if (!entry) return [];
      const { env, problems } = containerEnv(b, workload.manifest, container);
      return [
        {
          workload,
          container,
          init,
          entry,
          env,
          envProblems: problems,
          label: `${workload.label} container ${container.name}`,
        },
      ];
    }),
  );
}

/** The container port a probe or Service port refers to (by number or by name), within a pod. */
export function resolvePort(template: PodTemplate, ref: string | number): number | undefined {
  if (typeof ref === 'number') return ref;
  if (/^\d+$/.test(ref)) return Number(ref);
  return template.spec.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === ref)?.containerPort;
}
