/**
 * Many distinct customers for the bench (its load accounts, the flash-sale and cart phases), made
 * in one insert with tokens the bench signs itself. Logging in 1000 customers through
 * POST /v1/auth/token would cost 1000 scrypt hashes at the production cost (N=2^17, slow and
 * memory-hungry by design): time of the run and a memory peak in the API that are not the load
 * being measured (docs/performance.md#memory). The tokens are real:
 * signed with the stack's JWT_SECRET and checked by the API like any other, user rows and token
 * versions included.
 */
import { randomUUID } from 'node:crypto';
import { apiEnvSchema, DEV_JWT_SECRET } from '../api/config';
import { issueAccessToken, tokenSettings } from '../api/auth/tokens';
import type { Db } from '../prisma/client';

export interface TokenSigning {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/**
 * How the measured API signs tokens: `secret` for the bench's own stack (it chose it), and for a
 * running stack the variables it was started with, as the API reads them (its defaults included).
 */
export function tokenSigning(env: NodeJS.ProcessEnv, secret?: string): TokenSigning {
  const shape = apiEnvSchema.shape;
  return {
    secret: secret ?? env.JWT_SECRET ?? DEV_JWT_SECRET,
    issuer: shape.JWT_ISSUER.parse(env.JWT_ISSUER),
    audience: shape.JWT_AUDIENCE.parse(env.JWT_AUDIENCE),
    ttlSeconds: shape.JWT_TTL_SECONDS.parse(env.JWT_TTL_SECONDS),
  };
}

export interface BenchCustomer {
  id: string;
  token: string;
}

/**
 * `count` new customers (emails `<label>-<uuid>@bench.example`). They cannot log in: their password
 * hash is not a hash of anything. Tokens live for the API's JWT_TTL_SECONDS (15 minutes by default),
 * so make them right before the phase that uses them.
 */
export async function createBenchCustomers(
  db: Db,
  signing: TokenSigning,
  count: number,
  label: string,
): Promise<BenchCustomer[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.user.createMany({
    data: ids.map((id) => ({
      id,
      email: `${label}-${id}@bench.example`,
      role: 'customer' as const,
      passwordHash: 'bench-no-login',
    })),
  });
  const settings = tokenSettings({ ...signing, tokenIsCurrent: async () => false });
  return ids.map((id) => ({ id, token: issueAccessToken({ id, role: 'customer', tokenVersion: 0 }, settings) }));
}
