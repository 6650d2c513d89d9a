import { Hono } from 'hono';
import { z } from 'zod';
import { createUserRepository } from '../../prisma/repositories/users';
import { issueAccessToken, type TokenSettings } from '../auth/tokens';
import type { AppDependencies } from '../deps';
import { clientAddressOf } from '../http/client-address';
import { problems } from '../http/problem';
import type { TokenAnswer } from '../http/response-schemas';
import { readJsonBody } from '../http/validation';

export const credentialsSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
});

export function authRoutes({ db, rateLimits, passwords, config }: AppDependencies, tokens: TokenSettings) {
  const users = createUserRepository(db);
  const clientAddress = clientAddressOf(config.TRUSTED_PROXIES);

  return new Hono().post('/token', async (c) => {
    const { email, password } = await readJsonBody(c, credentialsSchema);
    const client = clientAddress(c);
    // Taken before the password is checked: once the allowance is used up, even the right password
    // gets 429, and however many attempts arrive at once, at most the allowance reach the check.
    await rateLimits.takeLoginAttempt(email, client);
    const user = await users.findCredentialsByEmail(email);
    // Verify against a dummy hash for unknown emails so response time does not reveal accounts.
    const valid = await passwords.verify(password, user?.passwordHash ?? (await passwords.dummyHash()));
    if (!user || !valid) throw problems.invalidCredentials();
    await rateLimits.refundLoginAttempt(email, client);
    // The only moment the password is known: upgrade a hash made at an older, cheaper cost.
    if (passwords.needsRehash(user.passwordHash)) {
      await users.replacePasswordHash(user.id, user.passwordHash, await passwords.hash(password));
    }
    const accessToken = issueAccessToken({ id: user.id, role: user.role, tokenVersion: user.tokenVersion }, tokens);
    return c.json({ accessToken, tokenType: 'Bearer', expiresIn: tokens.ttlSeconds } satisfies TokenAnswer);
  });
}
