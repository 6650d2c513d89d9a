/**
 * Structured JSON logs on stdout (pino), one object per line, for both processes. Each line carries
 * the active trace and span ids, so a log line leads to its trace and back. Known secret-bearing
 * fields are redacted: a log shipper must never receive a password, token or signing secret.
 */
import { context, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Paths pino blanks out wherever they appear in a logged object. */
const REDACTED_PATHS = [
  'password',
  '*.password',
  'accessToken',
  '*.accessToken',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'JWT_SECRET',
  '*.JWT_SECRET',
  'PAYMENT_WEBHOOK_SECRET',
  '*.PAYMENT_WEBHOOK_SECRET',
  'CARRIER_WEBHOOK_SECRET',
  '*.CARRIER_WEBHOOK_SECRET',
  'DATABASE_URL',
  '*.DATABASE_URL',
  // Payment tokens (checkout's paymentMethod.token is two levels down in a logged body) and
  // personal data: a log shipper is no place for an address or an email.
  'token',
  '*.token',
  '*.*.token',
  'paymentToken',
  '*.paymentToken',
  'shippingAddress',
  '*.shippingAddress',
  'email',
  '*.email',
];

export function createLogger(options: { service: string; level: LogLevel }, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Costs one context lookup per line; only lines written inside a recording span get the ids.
    mixin() {
      const span = trace.getSpan(context.active());
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  };
  return destination ? pino(settings, destination) : pino(settings);
}
