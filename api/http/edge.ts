/**
 * The one middleware every request passes: request id, security headers, CORS for browsers, the
 * request deadline and the observation of the answer. Each is its own module (request-id.ts,
 * security-headers.ts, Hono's cors(), ../observability/observe.ts); they share one layer because
 * on this API's hottest route (GET /v1/products/:sku, served from memory) a request's cost was
 * mostly the middleware chain (figures: docs/performance.md#edge-middleware).
 *
 * Headers are set before the handler runs (./response-headers.ts), so every answer carries them:
 * handlers' bodies, problem+json errors from onError, 404s, CORS preflights, the deadline's 503.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { RequestObserver } from '../observability/observe';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';
import { presetHeader } from './response-headers';
import { SECURITY_HEADERS } from './security-headers';

export interface EdgeOptions {
  /** How long a request may run before it is answered with `onTimeout`'s response. */
  timeoutMs: number;
  /**
   * The answer to a request that outlived `timeoutMs`. Work it started goes on (a workflow, a
   * query); the client retries, with the same Idempotency-Key where one applies.
   */
  onTimeout: (c: Context) => Response;
  observe: RequestObserver;
  /**
   * Runs instead of the rest of the chain when the request carries an Origin header (browsers send
   * it on every cross-origin request and preflight): Hono's cors(). Other clients skip it, and get
   * `Vary: Origin` so shared caches know the answer depends on that header either way.
   */
  cors: MiddlewareHandler;
}

const TIMED_OUT = Symbol('timed out');

/**
 * The headers every answer carries whatever builds it: its request id, the security headers and,
 * for a request without Origin, `Vary: Origin` (a cross-origin answer gets its Vary from cors()).
 */
function setAnswerHeaders(set: (name: string, value: string) => void, requestId: string, crossOrigin: boolean): void {
  set(REQUEST_ID_HEADER, requestId);
  for (const [name, value] of SECURITY_HEADERS) set(name, value);
  if (!crossOrigin) set('Vary', 'Origin');
}

export function edge({ timeoutMs, onTimeout, observe, cors }: EdgeOptions): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', requestId);
    const crossOrigin = c.req.header('Origin') !== undefined;
    setAnswerHeaders((name, value) => presetHeader(c, name, value), requestId, crossOrigin);
    const downstream = crossOrigin ? () => cors(c, next) : next;

    let timer: NodeJS.Timeout | undefined;
    try {
      // The chain or the deadline settles one promise, whichever comes first: with Node 20's async
      // hooks on (the Temporal client's AsyncLocalStorage) every promise a request makes costs, and
      // Promise.race against a deadline promise made three more. The chain may still finish after
      // the deadline; by then the context is finalized and its result is dropped.
      const outcome = await new Promise<typeof TIMED_OUT | undefined>((resolve, reject) => {
        timer = setTimeout(resolve, timeoutMs, TIMED_OUT);
        downstream().then((answer) => {
          // cors() answers a preflight itself, with a Response instead of calling next().
          if (answer instanceof Response) c.res = answer;
          resolve(undefined);
        }, reject);
      });
      if (outcome === TIMED_OUT) c.res = onTimeout(c);
    } finally {
      clearTimeout(timer);
      observe(c, performance.now() - started);
    }
  };
}
