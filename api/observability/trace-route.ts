/**
 * Names the HTTP server span after the matched route ("POST /v1/checkouts" instead of "POST") and
 * records `http.route`, so traces group by endpoint in Jaeger or Tempo. No-op while tracing is off.
 */
import { trace } from '@opentelemetry/api';

export function nameServerSpan(method: string, route: string): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  span.setAttribute('http.route', route);
  span.updateName(`${method} ${route}`);
}
