/**
 * Access tokens: HS256 JWTs (header `typ: at+jwt`, RFC 9068) with `sub`, `role`, `ver`, `iss`,
 * `aud`, `iat` and a short `exp`. Verification follows RFC 8725: the algorithm is pinned (so
 * `alg: none` and algorithm-confusion tokens are refused), the `typ` is checked (so another kind of
 * JWT signed with the same key is not taken for an access token), `exp` and `iat` are required and
 * the token's age is bounded by the TTL even if its `exp` claims more. `ver` is the user's token
 * version at issue: the middleware compares it with the current one, so a role change or a deleted
 * user ends every token issued before at once.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ROLES, type Role } from '../../domain/statuses';

export type { Role };

export interface Principal {
  id: string;
  role: Role;
}

/** A principal as the token states it, before its version is checked against the user's. */
export interface TokenClaims extends Principal {
  tokenVersion: number;
}

/** Whether `claims` are still their user's: the user exists with that role and token version. */
export type TokenIsCurrent = (claims: TokenClaims) => Promise<boolean>;

export interface TokenSettings {
  /** The HMAC key as a KeyObject, made once: see `tokenSettings`. */
  key: KeyObject;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  tokenIsCurrent: TokenIsCurrent;
}

/**
 * Given a string secret, jsonwebtoken first tries to parse it as a PEM public (verify) or private
 * (sign) key, fails, and only then makes a secret key from it: on every call. That failed parse
 * was most of what a verify cost, on every authenticated request (docs/performance.md#token-verification).
 */
export function tokenSettings(settings: {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  tokenIsCurrent: TokenIsCurrent;
}): TokenSettings {
  return {
    key: createSecretKey(Buffer.from(settings.secret, 'utf8')),
    issuer: settings.issuer,
    audience: settings.audience,
    ttlSeconds: settings.ttlSeconds,
    tokenIsCurrent: settings.tokenIsCurrent,
  };
}

const ALGORITHM = 'HS256';
/** RFC 9068's media type for JWT access tokens; verification refuses any other `typ`. */
const TOKEN_TYPE = 'at+jwt';
/** Clock skew between API processes allowed on `iat` and the maximum age (not on `exp`). */
const CLOCK_TOLERANCE_SECONDS = 30;

const claimsSchema = z.object({
  sub: z.string().uuid(),
  role: z.enum(ROLES),
  ver: z.number().int().min(0),
  exp: z.number().int(),
  iat: z.number().int(),
});

export function issueAccessToken(principal: TokenClaims, settings: TokenSettings): string {
  return jwt.sign({ role: principal.role, ver: principal.tokenVersion }, settings.key, {
    algorithm: ALGORITHM,
    header: { alg: ALGORITHM, typ: TOKEN_TYPE },
    subject: principal.id,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: settings.ttlSeconds,
  });
}

/**
 * The claims of a well-formed, correctly signed, current token, or null for anything expired, too
 * old, issued in the future, of another type, tampered, unsigned or malformed. Its version is not
 * checked here (that needs the database): see `authenticate`.
 */
export function verifyAccessToken(token: string, settings: TokenSettings): TokenClaims | null {
  try {
    const { header, payload } = jwt.verify(token, settings.key, {
      algorithms: [ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      // jsonwebtoken refuses a token without iat when maxAge is set; exp is required below.
      // No clockTolerance: it would also stretch exp, and an expired token must be refused.
      maxAge: settings.ttlSeconds + CLOCK_TOLERANCE_SECONDS,
      complete: true,
    });
    // Media types compare case-insensitively, and RFC 9068 allows the `application/` prefix.
    const typ = header.typ?.toLowerCase().replace(/^application\//, '');
    if (typ !== TOKEN_TYPE) return null;
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return null;
    const now = Math.floor(Date.now() / 1000);
    if (claims.data.iat > now + CLOCK_TOLERANCE_SECONDS) return null;
    return { id: claims.data.sub, role: claims.data.role, tokenVersion: claims.data.ver };
  } catch {
    return null;
  }
}

/** The principal of a valid token whose version is still the user's current one, or null. */
export async function authenticate(token: string, settings: TokenSettings): Promise<Principal | null> {
  const claims = verifyAccessToken(token, settings);
  return claims ? confirmClaims(claims, settings) : null;
}

/**
 * The principal of verified `claims` if their version and role are still the user's, or null. The
 * rule itself is the database function token_is_current (UserRepository.isTokenCurrent), which the
 * cart statements call as well, so the two checks cannot disagree.
 */
export async function confirmClaims(claims: TokenClaims, settings: TokenSettings): Promise<Principal | null> {
  return (await settings.tokenIsCurrent(claims)) ? { id: claims.id, role: claims.role } : null;
}
