/**
 * What the launchers read of their own environment (`npm start` / `npm run dev`: ./dev-stack.ts;
 * the bench and drill stack: ./stack.ts; the mail catcher's CLI), parsed with zod and parseEnv as
 * the processes parse theirs (platform/env.ts). A knob that is also a process's takes its default
 * from that process's schema, so each default is written once.
 */
import { z } from 'zod';
import { apiEnvSchema } from '../api/config';
import { parseEnv, sharedEnvShape } from '../platform/env';
import { workerEnvSchema } from '../workers/config';

const port = z.coerce.number().int().min(0).max(65535);
const api = apiEnvSchema.shape;
const worker = workerEnvSchema.shape;

/** The port of a URL default (`http://localhost:8233`), for a knob that must follow it. */
function portOf(url: string): number {
  return Number(new URL(url).port);
}

export const stackEnvSchema = z.object({
  NODE_ENV: sharedEnvShape.NODE_ENV.unwrap().optional(),
  DATABASE_URL: sharedEnvShape.DATABASE_URL,
  TEMPORAL_ADDRESS: sharedEnvShape.TEMPORAL_ADDRESS,
  TEMPORAL_NAMESPACE: sharedEnvShape.TEMPORAL_NAMESPACE,
  REDIS_URL: api.REDIS_URL,
  PORT: api.PORT,
  SMTP_URL: worker.SMTP_URL,
  /** Worker processes `npm start` runs on the task queue. */
  WORKER_COUNT: z.coerce.number().int().min(1).max(64).default(1),
  /** CPU niceness of `npm start`'s workers, so the API answers first on one machine (0: none). */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * Metrics port of `npm start`'s first worker; worker n gets this plus n-1 (the API keeps
   * METRICS_PORT). Default: the worker's own METRICS_PORT default.
   */
  WORKER_METRICS_PORT: port.default(worker.METRICS_PORT.parse(undefined)),
  /** Web UI of the Temporal dev server `npm start` runs; default: the port the API links to by default. */
  TEMPORAL_UI_PORT: port.default(portOf(api.TEMPORAL_UI_URL.parse(undefined))),
  /** The API's TEMPORAL_UI_URL when set; unset, `npm start` points it at TEMPORAL_UI_PORT. */
  TEMPORAL_UI_URL: api.TEMPORAL_UI_URL.unwrap().optional(),
  /** Web inbox of the local mail catcher. */
  MAIL_UI_PORT: port.default(8025),
  /** PROVIDERS as set; the compiled stack runs production, which needs it, so it sets simulated when unset. */
  PROVIDERS: sharedEnvShape.PROVIDERS,
  /** Tuning aid: every process a tool launches writes V8 CPU profiles into this directory. */
  PROF_DIR: z.string().min(1).optional(),
});

export type StackEnv = z.infer<typeof stackEnvSchema>;

export function loadStackEnv(env: NodeJS.ProcessEnv = process.env): StackEnv {
  return parseEnv(stackEnvSchema, env);
}

/**
 * This process's environment as the launchers hand it down to the processes they start, which
 * parse it themselves (a variable the launcher does not know still reaches them).
 */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}
