import { createMiddleware } from 'hono/factory';
import { problems } from '../http/problem';
import {
  authenticate,
  verifyAccessToken,
  type Principal,
  type Role,
  type TokenClaims,
  type TokenSettings,
} from './tokens';

export interface AuthVariables {
  principal: Principal;
}

export interface OptionalClaimsVariables {
  /** The verified claims of the caller's token, their version not yet checked; undefined: a guest. */
  claims: TokenClaims | undefined;
}

const bearerToken = (header: string | undefined): string | undefined =>
  /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header ?? '')?.[1];

/** One primary-key read per authenticated request: the token version must be current, not cached. */
async function bearerPrincipal(header: string | undefined, settings: TokenSettings): Promise<Principal | null> {
  const token = bearerToken(header);
  return token ? authenticate(token, settings) : null;
}

/**
 * For routes open to guests (carts): no Authorization header is a guest, and a malformed, forged or
 * expired token is 401 (never silently a guest, which would hide an expired login). The token's
 * version is not read here: the cart routes pass the claims to the cart's own statement, which
 * refuses a stale token (401) before it changes or shows anything, so a request is one round trip
 * instead of two. Every handler behind this middleware must have the claims checked: by such a
 * statement, or with `confirmClaims` (./tokens.ts).
 */
export function optionalClaims(settings: TokenSettings) {
  return createMiddleware<{ Variables: OptionalClaimsVariables }>(async (c, next) => {
    const header = c.req.header('Authorization');
    if (header === undefined) {
      c.set('claims', undefined);
    } else {
      const token = bearerToken(header);
      const claims = token ? verifyAccessToken(token, settings) : null;
      if (!claims) throw problems.unauthorized();
      c.set('claims', claims);
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

/**
 * Behind requireRole for a wider set of roles: the caller is known, only their role is checked
 * (403 otherwise), without reading the token again.
 */
export function allowRoles(...roles: Role[]) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    if (!roles.includes(c.get('principal').role)) throw problems.forbidden();
    await next();
  });
}
