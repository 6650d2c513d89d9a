/**
 * Names the HTTP server span after the matched route ("POST /v1/checkouts" instead of "POST") and
 * records `http.route`, so traces group by endpoint in Jaeger or Tempo. No-op while tracing is off.
 */
import { trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';

export const traceRoute: MiddlewareHandler = async (c, next) => {
  await next();
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  const route = routePath(c, -1);
  span.setAttribute('http.route', route);
  span.updateName(`${c.req.method} ${route}`);
};
