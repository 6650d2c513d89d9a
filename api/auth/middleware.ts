import { createMiddleware } from 'hono/factory';
import { problems } from '../http/problem';
import { verifyAccessToken, type Principal, type Role, type TokenSettings } from './tokens';

export interface AuthVariables {
  principal: Principal;
}

/**
 * Requires a valid bearer token (401 otherwise) whose role is one of `roles` (403 otherwise) and
 * exposes the caller as `c.var.principal`.
 */
export function requireRole(settings: TokenSettings, ...roles: Role[]) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
    const principal = match?.[1] ? verifyAccessToken(match[1], settings) : null;
    if (!principal) throw problems.unauthorized();
    if (!roles.includes(principal.role)) throw problems.forbidden();
    c.set('principal', principal);
    await next();
  });
}
