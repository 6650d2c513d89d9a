/**
 * Builds the HTTP application from its dependencies. api/server.ts serves it; tests build it with
 * their own database, Temporal client and Redis.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { cors } from 'hono/cors';
import { createUserRepository } from '../prisma/repositories/users';
import { tokenSettings } from './auth/tokens';
import type { AppDependencies } from './deps';
import { bodyLimitByLength } from './http/body-limit';
import { edge } from './http/edge';
import { ProblemError, problemJson, problems } from './http/problem';
import { createRequestObserver } from './observability/observe';
import { honoPath } from './routes/define';
import { routeGroupsFor } from './routes/table';
import { paymentProviderOf } from './config';
import { mountWebPages } from './web-pages';

export const BODY_LIMIT_BYTES = 64 * 1024;
const BODY_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

export function createApp(deps: AppDependencies): Hono {
  const users = createUserRepository(deps.db);
  const tokens = tokenSettings({
    secret: deps.config.JWT_SECRET,
    issuer: deps.config.JWT_ISSUER,
    audience: deps.config.JWT_AUDIENCE,
    ttlSeconds: deps.config.JWT_TTL_SECONDS,
    tokenIsCurrent: (claims) => users.isTokenCurrent(claims),
  });

  const app = new Hono();
  // Request id, security headers, CORS for browsers, the request deadline and metrics/logs/span
  // name, in one layer (see api/http/edge.ts for why one). A request that outlives the deadline
  // gets 503 instead of holding a connection and a pool slot.
  app.use(
    edge({
      timeoutMs: deps.config.REQUEST_TIMEOUT_MS,
      onTimeout: (c) => {
        deps.logger.warn({ requestId: c.get('requestId'), path: c.req.path }, 'request timed out');
        return problemJson(c, problems.requestTimeout(deps.config.REQUEST_TIMEOUT_MS));
      },
      observe: createRequestObserver(deps.logger, deps.metrics),
      cors: cors({
        origin: deps.config.CORS_ORIGINS,
        allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
        exposeHeaders: ['Location', 'Retry-After', 'X-Request-Id'],
        maxAge: 600,
      }),
    }),
  );
  // Only for the methods that carry a body: registered per method, the router leaves it out of
  // GET and HEAD chains altogether (no layer at all on the catalog's hot path).
  app.on(
    BODY_METHODS,
    '*',
    bodyLimitByLength({
      maxSize: BODY_LIMIT_BYTES,
      onError: (c) => problemJson(c, problems.payloadTooLarge(BODY_LIMIT_BYTES)),
    }),
  );

  // Every route, declared beside its handler (api/routes/define.ts). The simulated bank exists only
  // while the simulated provider is the deployment's provider.
  const groups = routeGroupsFor({ simulatedBank: paymentProviderOf(deps.config) === 'simulated' });
  const served = groups.flatMap((group) => group.operations);
  for (const group of groups) app.route(honoPath(group.prefix) || '/', group.build({ deps, tokens, served }));
  // The storefront's pages, built on this API through in-process calls (web/, docs/api.md#web-pages).
  mountWebPages(app, deps);

  app.notFound((c) => problemJson(c, problems.notFound('No route matches this method and path.')));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemJson(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      return problemJson(c, new ProblemError(error.status, 'bad_request', 'Bad request', error.message));
    }
    // Unexpected: log it with the request id for operators, tell the client nothing internal.
    deps.logger.error({ requestId: c.get('requestId'), path: c.req.path, err: error }, 'unhandled error');
    return problemJson(c, problems.internal());
  });
  return app;
}
