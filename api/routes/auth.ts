import { Hono } from 'hono';
import { z } from 'zod';
import { createUserRepository } from '../../prisma/repositories/users';
import { DUMMY_HASH_PROMISE, verifyPassword } from '../../domain/passwords';
import { issueAccessToken, type TokenSettings } from '../auth/tokens';
import type { AppDependencies } from '../deps';
import { clientAddress } from '../http/client-address';
import { problems } from '../http/problem';
import { readJsonBody } from '../http/validation';

const credentialsSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
});

export function authRoutes({ db, rateLimits }: AppDependencies, tokens: TokenSettings) {
  const users = createUserRepository(db);

  return new Hono().post('/token', async (c) => {
    const { email, password } = await readJsonBody(c, credentialsSchema);
    const client = clientAddress(c);
    // Checked before the password: once limited, even the right password gets 429.
    await rateLimits.assertLoginAllowed(email, client);
    const user = await users.findCredentialsByEmail(email);
    // Verify against a dummy hash for unknown emails so response time does not reveal accounts.
    const valid = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !valid) {
      await rateLimits.recordLoginFailure(email, client);
      throw problems.invalidCredentials();
    }
    const accessToken = issueAccessToken({ id: user.id, role: user.role }, tokens);
    return c.json({ accessToken, tokenType: 'Bearer', expiresIn: tokens.ttlSeconds });
  });
}
