/**
 * The pages' only way to the platform: the public HTTP API, called with the shopper's bearer token.
 * api/app.ts hands in the transport (an in-process call of the same Hono app, see
 * api/http/in-process.ts), so a page exercises exactly what any other client of the API would:
 * validation, auth, ownership, rate limits, problem+json. Answers are parsed with zod here, at the
 * edge of the web layer, and a problem+json answer becomes an ApiProblem.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { problemSchema, type Problem } from '../contract/response-schemas';

/** Sends one API request on behalf of the page request `page` (its client, its request id). */
export type ApiTransport = (request: Request, page: Context) => Promise<Response>;

/** A 4xx/5xx answer of the API, with its problem+json body (or a stand-in when it had none). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${status} ${problem.code}: ${problem.detail ?? problem.title}`);
  }
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

export class ApiClient {
  constructor(
    private readonly transport: ApiTransport,
    private readonly page: Context,
    /** The shopper's access token; none for a guest. */
    readonly token: string | undefined,
  ) {}

  /** The same client, acting as the holder of `token` (right after signing in). */
  as(token: string | undefined): ApiClient {
    return new ApiClient(this.transport, this.page, token);
  }

  async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: CallOptions = {},
  ): Promise<z.infer<S>> {
    const headers = new Headers(options.headers);
    headers.set('Accept', 'application/json');
    if (this.token) headers.set('Authorization', `Bearer ${this.token}`);
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers.set('Content-Type', 'application/json');
    }
    // The host is never contacted: the transport hands the request to the app in-process.
    const request = new Request(`http://api.internal${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const response = await this.transport(request, this.page);
    const text = await response.text();
    const json: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) throw new ApiProblem(response.status, problemOf(response.status, json));
    return schema.parse(json);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function problemOf(status: number, json: unknown): Problem {
  const parsed = problemSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  return {
    type: '/problems/unexpected_response',
    status,
    code: 'unexpected_response',
    title: 'Unexpected answer from the API',
  };
}
