/**
 * Renders the routes (declared beside their handlers, api/routes/define.ts) as an OpenAPI 3.1 document. Schemas go through zod's
 * own z.toJSONSchema, whose JSON Schema 2020-12 is OpenAPI 3.1's schema dialect, so no translation
 * layer sits between what the handlers validate and what the document says: request schemas are
 * rendered as their input (what a client may send: defaults optional, unknown fields allowed, as
 * the handlers strip them), response schemas as their output (exactly the fields the API sends).
 */
import { z } from 'zod';
import { PROBLEM_CODES, type ProblemCode } from '../../contract/problem-codes';
import { problemSchema } from '../../contract/response-schemas';
import { ROLES } from '../../domain/statuses';
import type { NamedSchema, Operation, ResponseHeader, SuccessContent } from './operation';

type Json = Record<string, unknown>;

export interface DocumentOptions {
  /** Whether the simulated bank's /sim/3ds routes are served (the simulated provider is configured). */
  simulatedBank: boolean;
}

const PROBLEM_JSON = 'application/problem+json';
const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const REASONS: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

const TAGS: { name: Operation['tag']; description: string }[] = [
  { name: 'Auth', description: 'Bearer tokens for the seeded users and roles.' },
  { name: 'Catalog', description: 'Products and their availability (public).' },
  { name: 'Carts', description: "Guest and customer carts at the catalog's current prices; they hold no stock." },
  { name: 'Checkout', description: 'Orders from items or a cart; the checkout runs as a Temporal workflow.' },
  { name: 'Orders', description: 'Orders and cancellation.' },
  { name: 'Refunds', description: 'Refunds, and admin approval of large ones.' },
  { name: 'Notifications', description: 'The emails sent for orders and carts.' },
  { name: 'Admin', description: 'Inventory and the audit trail.' },
  { name: 'Webhooks', description: 'Signed events of the payment provider and the carrier.' },
  { name: 'Operations', description: 'Liveness and readiness.' },
  { name: 'API description', description: 'This document and its rendered reference.' },
  { name: 'Simulated bank', description: 'The 3-D Secure pages of the bundled payment simulator (not in production).' },
];

const DESCRIPTION = `The storefront and support API of temporal-commerce.

- JSON in and out; money is integer minor units (\`...Cents\`). Unknown request fields are ignored
  and never stored.
- Every 4xx/5xx is \`application/problem+json\` (RFC 9457) with a stable snake_case \`code\`; each
  operation lists the codes it answers. Any method and path not listed here answers 404
  \`not_found\` (\`components/responses/RouteNotFound\`).
- Protected operations take \`Authorization: Bearer <accessToken>\` from \`POST /v1/auth/token\`.
  A customer asking for another customer's order or cart gets 404, never 403.
- Lists are pages: \`limit\` (1-100, default 20) and the opaque \`nextCursor\` passed back as \`cursor\`.
- Every answer carries \`X-Request-Id\` (the caller's, when it sent a well-formed one).`;

/** Problems every route may answer, whatever it is (the edge layer's deadline, the error handler). */
const EVERYWHERE: readonly ProblemCode[] = ['internal_error', 'request_timeout'];
const WITH_BODY: readonly Operation['method'][] = ['post', 'put', 'delete'];

/** The problem codes an operation answers: its own list plus what its fields imply. */
export function problemCodesOf(op: Operation): ProblemCode[] {
  const codes = new Set<ProblemCode>();
  if (op.query || op.body) codes.add('validation_failed');
  if (op.idempotencyKey) codes.add('idempotency_key_required');
  if (op.signed) codes.add('invalid_signature');
  if (op.access !== 'public') codes.add('unauthorized');
  if (Array.isArray(op.access) && op.access.length < ROLES.length) codes.add('forbidden');
  for (const code of op.problems ?? []) codes.add(code);
  if (WITH_BODY.includes(op.method)) codes.add('payload_too_large');
  for (const code of EVERYWHERE) codes.add(code);
  return [...codes];
}

const retryAfter = (required: boolean): Json => ({
  description: 'Seconds to wait before retrying',
  required,
  schema: { type: 'string', pattern: '^[0-9]+$' },
});

/** The answer of one status that carries any of `codes`: a Problem whose `code` is one of them. */
function problemResponse(status: number, codes: readonly ProblemCode[]): Json {
  const list = codes.map((code) => `- \`${code}\`: ${PROBLEM_CODES[code].meaning}`).join('\n');
  return {
    description: `${REASONS[status] ?? 'Problem'}. \`code\` is one of:\n\n${list}`,
    // rate_limited always says when to come back; of the 503s only request_timeout does.
    ...(status === 429 || codes.includes('request_timeout')
      ? { headers: { 'Retry-After': retryAfter(status === 429) } }
      : {}),
    content: {
      [PROBLEM_JSON]: {
        schema: {
          allOf: [
            schemaRef('Problem'),
            { type: 'object', properties: { status: { const: status }, code: { enum: [...codes] } } },
          ],
        },
      },
    },
  };
}

function problemResponses(codes: readonly ProblemCode[]): Record<string, Json> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) {
    const { status } = PROBLEM_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [String(status), problemResponse(status, list)]),
  );
}

/** Names each component schema once; a second name for a schema, or a name for two, is a mistake. */
class Components {
  private readonly byName = new Map<string, z.ZodType>();
  readonly registry = z.registry<{ id: string }>();

  add({ name, schema }: NamedSchema): Json {
    const known = this.byName.get(name);
    if (known && known !== schema) throw new Error(`OpenAPI: two schemas are named ${name}`);
    const named = this.registry.get(schema)?.id;
    if (named && named !== name) throw new Error(`OpenAPI: one schema is named both ${named} and ${name}`);
    if (!known) {
      this.byName.set(name, schema);
      this.registry.add(schema, { id: name });
    }
    return schemaRef(name);
  }

  render(io: 'input' | 'output'): Record<string, Json> {
    const { schemas } = z.toJSONSchema(this.registry, {
      target: 'draft-2020-12',
      io,
      uri: (id) => `#/components/schemas/${id}`,
    });
    // $schema and $id belong to standalone schemas; inside a document the dialect is OpenAPI's.
    return Object.fromEntries(
      Object.entries(schemas).map(([name, { $schema: _dialect, $id: _id, ...schema }]) => [name, schema]),
    );
  }
}

/** A parameter's schema, standalone (no component references), with its description lifted out. */
function parameterSchema(schema: z.ZodType): { schema: Json; description?: string } {
  const { $schema: _dialect, description, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  return { schema: rest, ...(typeof description === 'string' ? { description } : {}) };
}

function parametersOf(op: Operation): Json[] {
  const parameters: Json[] = [];
  for (const [name, schema] of Object.entries(op.pathParams ?? {})) {
    parameters.push({ name, in: 'path', required: true, ...parameterSchema(schema) });
  }
  if (op.query) {
    for (const [name, schema] of Object.entries(op.query.shape)) {
      const rendered = parameterSchema(schema as z.ZodType);
      const optional = (schema as z.ZodType).safeParse(undefined).success;
      parameters.push({ name, in: 'query', required: !optional, ...rendered });
    }
  }
  if (op.idempotencyKey) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  if (op.signed) parameters.push({ $ref: '#/components/parameters/Signature' });
  return parameters;
}

function securityOf(op: Operation): { security: Json[]; roles?: string } {
  if (op.access === 'public') return { security: [] };
  // Carts: a guest sends no token; a customer's token makes the cart theirs.
  if (op.access === 'optional-token') return { security: [{}, { bearerAuth: [] }] };
  return { security: [{ bearerAuth: [] }], roles: `Roles: ${op.access.join(', ')}.` };
}

function successContent(content: SuccessContent, responses: Components): Json | undefined {
  switch (content.kind) {
    case 'none':
      return undefined;
    case 'json':
      return { 'application/json': { schema: responses.add(content.body) } };
    case 'html':
      return { 'text/html': { schema: { type: 'string' } } };
    case 'asset':
      return Object.fromEntries(content.mediaTypes.map((type) => [type, { schema: { type: 'string' } }]));
  }
}

const headerRefs = (headers: readonly ResponseHeader[] = []): Json =>
  headers.length === 0
    ? {}
    : { headers: Object.fromEntries(headers.map((h) => [h, { $ref: `#/components/headers/${h}` }])) };

function operationObject(op: Operation, requests: Components, responses: Components): Json {
  const { security, roles } = securityOf(op);
  const parameters = parametersOf(op);
  const description = [op.description, roles].filter(Boolean).join('\n\n');
  const success = Object.entries(op.success).map(([status, answer]) => [
    status,
    {
      description: answer.description,
      ...headerRefs(answer.headers),
      ...(answer.content.kind === 'none' ? {} : { content: successContent(answer.content, responses) }),
    },
  ]);
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(description ? { description } : {}),
    tags: [op.tag],
    security,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.body.required ?? true,
            ...(op.body.description ? { description: op.body.description } : {}),
            content: { 'application/json': { schema: requests.add(op.body) } },
          },
        }
      : {}),
    responses: { ...Object.fromEntries(success), ...problemResponses(problemCodesOf(op)) },
  };
}

/** The document of `operations`, the routes the app serves with these options (../routes/table.ts). */
export function renderOpenApiDocument(operations: readonly Operation[], options: DocumentOptions): Json {
  const requests = new Components();
  const responses = new Components();
  responses.add({ name: 'Problem', schema: problemSchema });

  const paths: Record<string, Record<string, Json>> = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {});
    if (item[op.method]) throw new Error(`OpenAPI: ${op.method.toUpperCase()} ${op.path} is declared twice`);
    const templated = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    if (templated.join() !== Object.keys(op.pathParams ?? {}).join()) {
      throw new Error(`OpenAPI: ${op.operationId} must describe exactly the path parameters of ${op.path}, in order`);
    }
    item[op.method] = operationObject(op, requests, responses);
  }

  const requestSchemas = requests.render('input');
  const responseSchemas = responses.render('output');
  for (const name of Object.keys(requestSchemas)) {
    if (name in responseSchemas) throw new Error(`OpenAPI: ${name} names a request and a response schema`);
  }

  return {
    openapi: '3.1.0',
    info: { title: 'temporal-commerce API', version: '1.0.0', description: DESCRIPTION },
    tags: TAGS.filter((tag) => options.simulatedBank || tag.name !== 'Simulated bank'),
    paths,
    components: {
      schemas: { ...responseSchemas, ...requestSchemas },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The accessToken of POST /v1/auth/token.',
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description: 'Makes retries safe: the same key and body answer the same result, once.',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
        Signature: {
          name: 'X-Signature',
          in: 'header',
          required: true,
          description: "`sha256=` and the hex HMAC-SHA256 of the raw body under the sender's webhook secret.",
          schema: { type: 'string', pattern: '^sha256=[0-9a-fA-F]{64}$' },
        },
      },
      headers: {
        Location: { description: 'The URL of the resource', required: true, schema: { type: 'string' } },
        'Idempotent-Replayed': {
          description: 'An earlier request with this Idempotency-Key made this answer',
          required: true,
          schema: { const: 'true' },
        },
      },
      responses: {
        RouteNotFound: problemResponse(404, ['not_found']),
      },
    },
  };
}
