/** Imported first by api/server.ts: OpenTelemetry has to patch `http` and `pg` before they load. */
import { startTracing } from '../platform/tracing';

export const tracing = startTracing('commerce-api');
