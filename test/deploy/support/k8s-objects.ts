/**
 * The parts of Kubernetes objects the deploy tests read, validated with zod (unknown fields pass
 * through), and the pod template of each workload kind.
 */
import { z } from 'zod';

const keyRef = z.looseObject({ name: z.string(), key: z.string() });

const envVarSchema = z.looseObject({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z
    .looseObject({
      secretKeyRef: keyRef.optional(),
      configMapKeyRef: keyRef.optional(),
      fieldRef: z.looseObject({ fieldPath: z.string() }).optional(),
      resourceFieldRef: z.looseObject({ resource: z.string() }).optional(),
    })
    .optional(),
});

const envFromSchema = z.looseObject({
  prefix: z.string().optional(),
  configMapRef: z.looseObject({ name: z.string() }).optional(),
  secretRef: z.looseObject({ name: z.string() }).optional(),
});

const portRef = z.union([z.string(), z.number()]);

const probeSchema = z.looseObject({
  httpGet: z.looseObject({ path: z.string().optional(), port: portRef }).optional(),
  tcpSocket: z.looseObject({ port: portRef }).optional(),
  grpc: z.looseObject({ port: z.number() }).optional(),
  exec: z.looseObject({ command: z.array(z.string()) }).optional(),
});

const quantities = z.record(z.string(), z.union([z.string(), z.number()]));

const containerSchema = z.looseObject({
  name: z.string(),
  image: z.string(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(envVarSchema).optional(),
  envFrom: z.array(envFromSchema).optional(),
  ports: z.array(z.looseObject({ name: z.string().optional(), containerPort: z.number() })).optional(),
  startupProbe: probeSchema.optional(),
  livenessProbe: probeSchema.optional(),
  readinessProbe: probeSchema.optional(),
  resources: z.looseObject({ requests: quantities.optional(), limits: quantities.optional() }).optional(),
  volumeMounts: z
    .array(z.looseObject({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional() }))
    .optional(),
  securityContext: z
    .looseObject({
      runAsNonRoot: z.boolean().optional(),
      runAsUser: z.number().optional(),
      readOnlyRootFilesystem: z.boolean().optional(),
      allowPrivilegeEscalation: z.boolean().optional(),
      privileged: z.boolean().optional(),
      capabilities: z
        .looseObject({ drop: z.array(z.string()).optional(), add: z.array(z.string()).optional() })
        .optional(),
      seccompProfile: z.looseObject({ type: z.string() }).optional(),
    })
    .optional(),
  lifecycle: z
    .looseObject({
      preStop: z
        .looseObject({
          exec: z.looseObject({ command: z.array(z.string()) }).optional(),
          sleep: z.looseObject({ seconds: z.number() }).optional(),
        })
        .optional(),
    })
    .optional(),
});

const podSpecSchema = z.looseObject({
  containers: z.array(containerSchema).min(1),
  initContainers: z.array(containerSchema).optional(),
  terminationGracePeriodSeconds: z.number().optional(),
  securityContext: z
    .looseObject({
      runAsNonRoot: z.boolean().optional(),
      runAsUser: z.number().optional(),
      seccompProfile: z.looseObject({ type: z.string() }).optional(),
    })
    .optional(),
  volumes: z
    .array(z.looseObject({ name: z.string(), configMap: z.looseObject({ name: z.string() }).optional() }))
    .optional(),
});

const labels = z.record(z.string(), z.string());

const podTemplateSchema = z.looseObject({
  metadata: z.looseObject({ labels: labels.optional(), annotations: labels.optional() }).optional(),
  spec: podSpecSchema,
});

export const objectHeaderSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional(), labels: labels.optional() }),
});

export const deploymentSchema = z.looseObject({
  spec: z.looseObject({
    replicas: z.number().optional(),
    selector: z.looseObject({ matchLabels: labels }),
    template: podTemplateSchema,
  }),
});

const jobSpecSchema = z.looseObject({ template: podTemplateSchema });

export const jobSchema = z.looseObject({ spec: jobSpecSchema });
export const cronJobSchema = z.looseObject({
  spec: z.looseObject({ jobTemplate: z.looseObject({ spec: jobSpecSchema }) }),
});

export const serviceSchema = z.looseObject({
  spec: z.looseObject({
    type: z.string().optional(),
    externalName: z.string().optional(),
    selector: labels.optional(),
    ports: z
      .array(z.looseObject({ name: z.string().optional(), port: z.number(), targetPort: portRef.optional() }))
      .optional(),
  }),
});

export const configMapSchema = z.looseObject({ data: z.record(z.string(), z.string()).optional() });
export const secretSchema = z.looseObject({
  stringData: z.record(z.string(), z.string()).optional(),
  data: z.record(z.string(), z.string()).optional(),
});

const scaleTargetRef = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  name: z.string(),
});

export const hpaSchema = z.looseObject({
  spec: z.looseObject({ scaleTargetRef, minReplicas: z.number().optional(), maxReplicas: z.number() }),
});

export const pdbSchema = z.looseObject({
  spec: z.looseObject({
    selector: z.looseObject({ matchLabels: labels }),
    minAvailable: z.union([z.number(), z.string()]).optional(),
    maxUnavailable: z.union([z.number(), z.string()]).optional(),
  }),
});

export const scaledObjectSchema = z.looseObject({
  spec: z.looseObject({
    scaleTargetRef,
    minReplicaCount: z.number().optional(),
    maxReplicaCount: z.number().optional(),
    triggers: z.array(z.looseObject({ type: z.string(), metadata: z.record(z.string(), z.string()) })),
  }),
});

export type ObjectHeader = z.infer<typeof objectHeaderSchema>;
export type PodTemplate = z.infer<typeof podTemplateSchema>;
export type Container = z.infer<typeof containerSchema>;
export type EnvVar = z.infer<typeof envVarSchema>;
export type Probe = z.infer<typeof probeSchema>;

/** Parses `raw` with `schema`, or throws naming the object and the offending fields. */
export function parseAs<S extends z.ZodType>(schema: S, raw: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new Error(`${where}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}

/** The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob), else undefined. */
export function podTemplateOf(header: ObjectHeader, raw: unknown, where: string): PodTemplate | undefined {
  switch (header.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
      return parseAs(deploymentSchema, raw, where).spec.template;
    case 'Job':
      return parseAs(jobSchema, raw, where).spec.template;
    case 'CronJob':
      return parseAs(cronJobSchema, raw, where).spec.jobTemplate.spec.template;
    default:
      return undefined;
  }
}

/** True when every label of `selector` is on `podLabels`. */
export function selects(selector: Record<string, string>, podLabels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => podLabels?.[k] === v);
}
