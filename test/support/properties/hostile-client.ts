/**
 * Sends hostile requests over real HTTP and checks what every answer must satisfy, whatever was
 * sent: no 5xx, and every 4xx is application/problem+json with the fields docs/api.md#errors names and nothing
 * internal in it, and the answer is one /openapi.json describes for that route (status, code, body
 * schema: ../openapi-conformance.ts). Each case then says which (status, code) pairs it accepts.
 *
 * It also remembers who got which refusal: support and admin refusals that reach an audited action
 * are recorded in audit_entries on purpose (docs/architecture.md#audit-trail), so the state check needs to know
 * which refusals may have left such a row.
 */
import { conformanceOf } from '../openapi-conformance';

export interface HostileRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as is: a string (any text, valid JSON or not) or raw bytes (invalid UTF-8 included). */
  body?: string | Uint8Array;
  /** The seeded staff user whose valid token is in `headers` (for audit reconciliation). */
  actorId?: string;
}

export interface HostileResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
}

/** An acceptable answer: a status, and for 4xx the problem `code` that must come with it. */
export type Outcome = readonly [status: number, code?: string];

/** Signs of internals leaking into a response (stack frames, ORM or driver messages, hosts). */
const LEAKS =
  /PrismaClient|prisma\/|node_modules|\n\s+at |invalid byte sequence|ECONNREFUSED|postgresql:\/\/|redis:\/\/|127\.0\.0\.1:\d+/;
const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

export interface Refusal {
  actorId: string;
  code: string;
}

export class HostileClient {
  /** Requests sent so far by this client. */
  sent = 0;
  /** Refusals of valid staff tokens: the only ones that may leave an audit row. */
  readonly staffRefusals: Refusal[] = [];
  /** How often each answer (`"404 not_found"`, `"200"`) was seen, to show a property reached its cases. */
  readonly seen = new Map<string, number>();

  constructor(private readonly baseUrl: string) {}

  async send(req: HostileRequest): Promise<HostileResponse> {
    this.sent += 1;
    const init: RequestInit = { method: req.method, headers: req.headers ?? {}, redirect: 'manual' };
    if (req.body !== undefined) init.body = req.body;
    const res = await fetch(`${this.baseUrl}${req.path}`, init);
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const mismatches = (await conformanceOf(this.baseUrl)).check({
      method: req.method,
      url: req.path,
      status: res.status,
      headers: res.headers,
      body: json ?? (text === '' ? undefined : text),
    });
    const context = `${req.method} ${req.path} -> ${res.status} ${text.slice(0, 300)}`;
    expect({ context, mismatches }).toEqual({ context, mismatches: [] });
    return { status: res.status, headers: res.headers, text, json };
  }

  /**
   * Sends `req` and asserts the universal properties plus one of `allowed`. Returns the response
   * for further, case-specific assertions.
   */
  async expect(req: HostileRequest, allowed: readonly Outcome[]): Promise<HostileResponse> {
    const res = await this.send(req);
    const context = `${req.method} ${req.path} -> ${res.status} ${res.text.slice(0, 300)}`;
    expect({ context, serverError: res.status >= 500 }).toEqual({ context, serverError: false });
    expect({ context, leaks: LEAKS.test(res.text) }).toEqual({ context, leaks: false });

    let code: string | undefined;
    if (res.status >= 400) {
      code = assertProblem(res, context);
      if (req.actorId) this.staffRefusals.push({ actorId: req.actorId, code });
    }
    const outcome = code === undefined ? String(res.status) : `${res.status} ${code}`;
    this.seen.set(outcome, (this.seen.get(outcome) ?? 0) + 1);
    const matches = allowed.some(
      ([status, allowedCode]) => status === res.status && (allowedCode === undefined || allowedCode === code),
    );
    expect({ context, allowed: allowed.map((o) => o.join(' ')), matches }).toEqual({
      context,
      allowed: allowed.map((o) => o.join(' ')),
      matches: true,
    });
    return res;
  }

  /** Each answer (`"404 not_found"`, `"200"`) was seen at least once: the property reached all its cases. */
  expectSeen(...outcomes: string[]): void {
    for (const outcome of outcomes) expect([outcome, (this.seen.get(outcome) ?? 0) > 0]).toEqual([outcome, true]);
  }
}

/** RFC 9457 as docs/api.md#errors requires it; returns the problem's code. */
function assertProblem(res: HostileResponse, context: string): string {
  expect({ context, contentType: res.headers.get('content-type') }).toEqual({
    context,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  const body = res.json as Record<string, unknown> | undefined;
  expect({ context, body }).toEqual({
    context,
    body: expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status: res.status,
      detail: expect.any(String),
      code: expect.stringMatching(SNAKE_CASE),
    }),
  });
  if (res.status === 429)
    expect({ context, retryAfter: Number(res.headers.get('retry-after')) > 0 }).toEqual({ context, retryAfter: true });
  return String(body?.code);
}

/** A JSON body; `undefined` (which JSON.stringify drops) is sent as `null`. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

const UNRESERVED = /[A-Za-z0-9_~-]/;

/**
 * Percent-encodes every UTF-8 byte of `segment` but letters, digits, `_`, `~` and `-`, so any
 * string (slashes, dots, NUL, emoji; lone surrogates become U+FFFD as browsers send them) stays one
 * path segment or query value.
 */
export function pathSegment(segment: string): string {
  return [...Buffer.from(segment, 'utf8')]
    .map((b) =>
      UNRESERVED.test(String.fromCharCode(b)) && b < 0x80
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0').toUpperCase()}`,
    )
    .join('');
}

/** A query string from pairs, every byte percent-encoded (repeated names allowed). */
export function queryString(pairs: readonly (readonly [string, string])[]): string {
  return pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${pathSegment(k)}=${pathSegment(v)}`).join('&')}`;
}
