/**
 * The shape of one route as the OpenAPI document sees it (declared beside its handler with
 * ../routes/define.ts): what it takes and answers, in terms of the zod schemas its handler
 * validates with and returns. ./document.ts renders it.
 */
import type { z } from 'zod';
import type { Role } from '../../domain/statuses';
import type { ProblemCode } from '../../contract/problem-codes';

export type Method = 'get' | 'post' | 'put' | 'delete';

/** Who may call: anyone, anyone with an optional bearer token (carts), or bearer tokens of these roles. */
export type Access = 'public' | 'optional-token' | readonly Role[];

export type Tag =
  | 'Auth'
  | 'Catalog'
  | 'Carts'
  | 'Checkout'
  | 'Orders'
  | 'Refunds'
  | 'Notifications'
  | 'Admin'
  | 'Webhooks'
  | 'Operations'
  | 'API description'
  | 'Simulated bank';

/** A body and the name its schema has under components/schemas (one name per schema). */
export interface NamedSchema {
  name: string;
  schema: z.ZodType;
}

/** What a successful answer carries. */
export type SuccessContent =
  | { kind: 'json'; body: NamedSchema }
  | { kind: 'html' }
  | { kind: 'asset'; mediaTypes: readonly string[] }
  /** 204: no body. */
  | { kind: 'none' };

export type ResponseHeader = 'Location' | 'Retry-After' | 'Idempotent-Replayed';

export interface SuccessResponse {
  description: string;
  content: SuccessContent;
  headers?: readonly ResponseHeader[];
}

export interface Operation {
  method: Method;
  /** OpenAPI form: `/v1/orders/{orderId}` (the app's Hono route is `/v1/orders/:orderId`). */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: Tag;
  access: Access;
  /** Path parameters, in path order: the schema each must satisfy (`describe()` documents it). */
  pathParams?: Record<string, z.ZodType>;
  /** The object the handler's readQuery() validates: each property is a query parameter. */
  query?: z.ZodObject;
  /** The JSON body the handler validates. */
  body?: NamedSchema & { required?: boolean; description?: string };
  idempotencyKey?: boolean;
  /** A signed webhook: the X-Signature header carries the HMAC of the raw body. */
  signed?: boolean;
  /** The successful answers, by status. */
  success: Partial<Record<200 | 201 | 202 | 204, SuccessResponse>>;
  /**
   * The problem codes this route answers beyond those its other fields imply (document.ts adds:
   * validation_failed for a query or body, idempotency_key_required, invalid_signature,
   * unauthorized and forbidden from `access`, payload_too_large for methods with a body, and
   * internal_error and request_timeout everywhere).
   */
  problems?: readonly ProblemCode[];
}

export const json = (name: string, schema: z.ZodType): SuccessContent => ({ kind: 'json', body: { name, schema } });
export const html: SuccessContent = { kind: 'html' };
