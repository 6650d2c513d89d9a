/** Imported first by workers/main.ts: OpenTelemetry has to patch `pg` and `http` before they load. */
import { startTracing } from '../platform/tracing';

export const tracing = startTracing('commerce-worker');
