/**
 * Access tokens: HS256 JWTs with `sub`, `role`, `iss`, `aud` and a short `exp`. Verification pins
 * the algorithm, so `alg: none` and algorithm-confusion tokens are refused.
 */
import jwt from 'jsonwebtoken';
import { z } from 'zod';

export const ROLES = ['customer', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string;
  role: Role;
}

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALGORITHM = 'HS256';
const claimsSchema = z.object({ sub: z.string().uuid(), role: z.enum(ROLES) });

export function issueAccessToken(principal: Principal, settings: TokenSettings): string {
  return jwt.sign({ role: principal.role }, settings.secret, {
    algorithm: ALGORITHM,
    subject: principal.id,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: settings.ttlSeconds,
  });
}

/** The principal of a valid token, or null for anything expired, tampered, unsigned or malformed. */
export function verifyAccessToken(token: string, settings: TokenSettings): Principal | null {
  try {
    const payload = jwt.verify(token, settings.secret, {
      algorithms: [ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
    });
    const claims = claimsSchema.safeParse(payload);
    return claims.success ? { id: claims.data.sub, role: claims.data.role } : null;
  } catch {
    return null;
  }
}
