/**
 * The error model of the API: every 4xx/5xx is application/problem+json (RFC 9457) with a stable
 * snake_case `code`. Handlers throw ProblemError; app.onError renders it. Anything else becomes a
 * bare 500 so that no stack trace, SQL or host name ever reaches a client.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ProblemCode, ProblemCodeOf } from '../../contract/problem-codes';
import type { Problem } from '../../contract/response-schemas';

export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ProblemCode,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

export function problemJson(c: Context, error: ProblemError): Response {
  const body: Problem = {
    type: `/problems/${error.code}`,
    title: error.title,
    status: error.status,
    ...(error.detail === undefined ? {} : { detail: error.detail }),
    code: error.code,
    ...error.extensions,
  };
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.body(JSON.stringify(body), error.status, { 'Content-Type': 'application/problem+json' });
}

/** The problems docs/api.md#problem-codes names, constructed in one place so codes and titles never drift. */
export const problems = {
  validationFailed: (detail: string, errors?: { path: string; message: string }[]) =>
    new ProblemError(400, 'validation_failed', 'Request validation failed', detail, errors ? { errors } : {}),
  idempotencyKeyRequired: () =>
    new ProblemError(
      400,
      'idempotency_key_required',
      'Idempotency-Key header required',
      'Send an Idempotency-Key header of 1 to 255 characters.',
    ),
  unauthorized: (detail = 'A valid bearer token is required.') =>
    new ProblemError(401, 'unauthorized', 'Unauthorized', detail),
  invalidCredentials: () =>
    new ProblemError(401, 'invalid_credentials', 'Invalid credentials', 'Email or password is wrong.'),
  invalidSignature: () =>
    new ProblemError(401, 'invalid_signature', 'Invalid signature', 'X-Signature does not match the body.'),
  forbidden: () => new ProblemError(403, 'forbidden', 'Forbidden', 'Your role does not allow this action.'),
  approvalByRequester: () =>
    new ProblemError(
      403,
      'approval_by_requester',
      'Approval by requester',
      'You requested this refund; another admin must approve or reject it.',
    ),
  notFound: (detail = 'No such resource.') => new ProblemError(404, 'not_found', 'Not found', detail),
  conflict: (code: ProblemCodeOf<409>, title: string, detail: string) => new ProblemError(409, code, title, detail),
  payloadTooLarge: (limitBytes: number) =>
    new ProblemError(
      413,
      'payload_too_large',
      'Payload too large',
      `Request bodies are limited to ${limitBytes} bytes.`,
    ),
  unprocessable: (code: ProblemCodeOf<422>, title: string, detail: string, extensions: Record<string, unknown> = {}) =>
    new ProblemError(422, code, title, detail, extensions),
  rateLimited: (retryAfterSeconds: number) =>
    new ProblemError(
      429,
      'rate_limited',
      'Too many requests',
      `Retry after ${retryAfterSeconds} seconds.`,
      {},
      {
        'Retry-After': String(retryAfterSeconds),
      },
    ),
  internal: () => new ProblemError(500, 'internal_error', 'Internal server error', 'The error was logged.'),
  requestTimeout: (timeoutMs: number) =>
    new ProblemError(
      503,
      'request_timeout',
      'Request timed out',
      `No answer within ${timeoutMs} ms; retry (with the same Idempotency-Key).`,
      {},
      {
        'Retry-After': '1',
      },
    ),
  notReady: (failing: string[]) =>
    new ProblemError(503, 'not_ready', 'Service not ready', `Unavailable: ${failing.join(', ')}`, { failing }),
} as const;
