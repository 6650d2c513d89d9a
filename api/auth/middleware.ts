import { createMiddleware } from 'hono/factory';
import { problems } from '../http/problem';
import { authenticate, type Principal, type Role, type TokenSettings } from './tokens';

export interface AuthVariables {
  principal: Principal;
}

export interface OptionalAuthVariables {
  principal: Principal | undefined;
}

/** One primary-key read per authenticated request: the token version must be current, not cached. */
async function bearerPrincipal(header: string | undefined, settings: TokenSettings): Promise<Principal | null> {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header ?? '');
  return match?.[1] ? authenticate(match[1], settings) : null;
}

/**
 * For routes open to guests (carts): no Authorization header is a guest, a valid token is its
 * principal, and an invalid one is 401 (never silently a guest, which would hide an expired login).
 */
export function optionalPrincipal(settings: TokenSettings) {
  return createMiddleware<{ Variables: OptionalAuthVariables }>(async (c, next) => {
    const header = c.req.header('Authorization');
    if (header === undefined) {
      c.set('principal', undefined);
    } else {
      const principal = await bearerPrincipal(header, settings);
      if (!principal) throw problems.unauthorized();
      c.set('principal', principal);
    }
    await next();
  });
}

/**
 * Requires a valid bearer token (401 otherwise) whose role is one of `roles` (403 otherwise) and
 * exposes the caller as `c.var.principal`.
 */
export function requireRole(settings: TokenSettings, ...roles: Role[]) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const principal = await bearerPrincipal(c.req.header('Authorization'), settings);
    if (!principal) throw problems.unauthorized();
    if (!roles.includes(principal.role)) throw problems.forbidden();
    c.set('principal', principal);
    await next();
  });
}
