import { z } from 'zod';
import { createUserRepository } from '../../prisma/repositories/users';
import { issueAccessToken } from '../auth/tokens';
import { clientAddressOf } from '../http/client-address';
import { problems } from '../http/problem';
import { tokenSchema, type TokenAnswer } from '../../contract/response-schemas';
import { readJsonBody } from '../http/validation';
import { json } from '../openapi/operation';
import { ROLES } from '../../domain/statuses';
import { routeGroup } from './define';

const credentialsSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
});

const logoutSchema = z
  .object({
    // Refresh tokens come with the accounts work; until then there is no sign-in to name.
    refreshToken: z.string().min(1).max(4096).optional(),
    everywhere: z.boolean().optional(),
  })
  .strict();

const auth = routeGroup({
  prefix: '/v1/auth',
  setup: ({ deps: { db, rateLimits, passwords, config }, tokens }) => ({
    users: createUserRepository(db),
    clientAddress: clientAddressOf(config.TRUSTED_PROXIES),
    rateLimits,
    passwords,
    tokens,
  }),
});

export const authRoutes = auth.of([
  auth.route({
    method: 'post',
    path: '/v1/auth/token',
    operationId: 'createToken',
    summary: 'Sign in: a bearer token for an email and password',
    description:
      'After 10 failed attempts for one email within 5 minutes (or 100 from one client address) further ' +
      'attempts get 429 with Retry-After, even with the right password.',
    tag: 'Auth',
    access: 'public',
    body: { name: 'Credentials', schema: credentialsSchema },
    success: { 200: { description: 'A bearer token.', content: json('Token', tokenSchema) } },
    problems: ['invalid_credentials', 'rate_limited'],
    handler:
      ({ users, clientAddress, rateLimits, passwords, tokens }) =>
      async (c) => {
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
      },
  }),
  auth.route({
    method: 'post',
    path: '/v1/auth/logout',
    operationId: 'logout',
    summary: 'Sign out: the bearer token stops working',
    description:
      'The token presented, and with it every access token of the user issued so far, answers 401 ' +
      '`unauthorized` from the next call on (`everywhere: true` or not: access tokens carry no sign-in ' +
      'of their own to end alone).',
    tag: 'Auth',
    access: ROLES,
    body: { name: 'Logout', schema: logoutSchema, required: false },
    success: { 204: { description: 'Signed out.', content: { kind: 'none' } } },
    problems: [],
    handler:
      ({ users }) =>
      async (c) => {
        const text = await c.req.text();
        if (text.trim() !== '') await readJsonBody(c, logoutSchema);
        await users.endTokens(c.get('principal').id);
        return c.body(null, 204);
      },
  }),
]);
