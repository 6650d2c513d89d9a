/**
 * Property: whoever is not allowed to act is refused, and the refusal changes nothing. Forged,
 * expired, unsigned and tampered tokens (401) and valid tokens of the wrong role (403) are fired at
 * every request that would change the world, and hostile login bodies at /v1/auth/token.
 */
import fc from 'fast-check';
import { forgedAuthorization, tokenContextOf } from '../support/properties/forged-tokens';
import { jsonText, type Outcome } from '../support/properties/hostile-client';
import {
  edgeNumber,
  hasUnstorableText,
  hostileString,
  nonObjectJsonText,
  nonString,
  notJsonBody,
  withValueAt,
  DELETE,
} from '../support/properties/hostile-values';
import { guardedRoutes, withAuthorization } from '../support/properties/routes';
import { useHostileWorld } from '../support/properties/hostile-world';

const { world, clients, newClient, expectNothingChanged } = useHostileWorld();

test('forged, expired, unsigned or tampered tokens get 401 unauthorized on every protected route', async () => {
  const client = newClient();
  const forged = forgedAuthorization(tokenContextOf(world));
  await fc.assert(
    fc.asyncProperty(forged, fc.constantFrom(...guardedRoutes(world)), async (auth, route) => {
      await client.expect(withAuthorization(route.build(), auth.header), [[401, 'unauthorized']]);
    }),
    { numRuns: 400 },
  );
}, 120_000);

test('valid tokens of a role the route does not allow get 403 forbidden', async () => {
  const client = newClient();
  const users = [world.alice, world.bob, world.support, world.admin];
  const cases = guardedRoutes(world).flatMap((route) =>
    users.filter((u) => !route.roles.includes(u.role)).map((user) => ({ route, user })),
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...cases), async ({ route, user }) => {
      const actorId = user.role === 'customer' ? undefined : user.id;
      await client.expect(
        { ...withAuthorization(route.build(), `Bearer ${user.token}`), ...(actorId ? { actorId } : {}) },
        [[403, 'forbidden']],
      );
    }),
    { numRuns: 150 },
  );
}, 120_000);

describe('POST /v1/auth/token', () => {
  const login = (body: string | Uint8Array, contentType = 'application/json') =>
    ({ method: 'POST', path: '/v1/auth/token', headers: { 'Content-Type': contentType }, body }) as const;

  /** Strings zod's email check refuses whatever else they hold: no @, nothing before or after it, spaces, doubled dots. */
  const notAnEmail = fc.oneof(
    hostileString.filter((s) => !s.includes('@')),
    fc.constantFrom(
      'a@',
      '@b.example',
      'a@b',
      'a b@c.example',
      'a@b..example',
      '<a>@b.example',
      'a@b.example\u0000',
      'ä@b.example',
      `${'a'.repeat(321)}@b.example`,
    ),
    nonString,
  );

  test('malformed bodies are 400 validation_failed', async () => {
    const client = newClient();
    const valid = { email: world.alice.email, password: world.alice.password };
    const malformed: fc.Arbitrary<string | Uint8Array> = fc.oneof(
      notJsonBody,
      nonObjectJsonText,
      notAnEmail.map((email) => jsonText({ ...valid, email })),
      fc
        .oneof(nonString, fc.constant(''), fc.string({ minLength: 1025, maxLength: 1100 }))
        .map((password) => jsonText({ ...valid, password })),
      fc.constantFrom('email', 'password').map((field) => jsonText(withValueAt(valid, [field], DELETE))),
    );
    await fc.assert(
      fc.asyncProperty(
        malformed,
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (body, type) => {
          await client.expect(login(body, type), [[400, 'validation_failed']]);
        },
      ),
      { numRuns: 250 },
    );
  }, 120_000);

  test('well-formed wrong credentials are 401 invalid_credentials (or 429 once an email is locked); unstorable text is 400', async () => {
    const client = newClient();
    const known = [world.alice, world.bob, world.support, world.admin];
    const email = fc.oneof(
      fc.constantFrom(...known.map((u) => u.email), ...known.map((u) => u.email.toUpperCase())),
      fc.stringMatching(/^[a-z0-9]{1,20}$/).map((local) => `${local}@nobody.example`),
    );
    const password = fc.oneof(
      hostileString.filter((p) => p.length >= 1 && p.length <= 1024),
      fc.constant('alice-password'),
      fc.constant('pw-'),
    );
    await fc.assert(
      fc.asyncProperty(email, password, fc.option(edgeNumber), async (e, p, extra) => {
        const body = { email: e, password: p, ...(extra === null ? {} : { role: 'admin', id: extra }) };
        const expected: Outcome[] = hasUnstorableText(p)
          ? [[400, 'validation_failed']]
          : [
              [401, 'invalid_credentials'],
              [429, 'rate_limited'],
            ];
        await client.expect(login(jsonText(body)), expected);
      }),
      { numRuns: 60 },
    );
    client.expectSeen('401 invalid_credentials');
  }, 120_000);
});

test('no refused request changed anything', async () => {
  await expectNothingChanged();
}, 60_000);

test('the state check is not blind: one accepted admin action after the refusals is noticed', async () => {
  const res = await world.api.request('PUT', `/v1/admin/inventory/${world.skus.stocked}`, {
    token: world.admin.token,
    body: { onHand: 49 },
  });
  expect(res.status).toBe(200);
  await expect(expectNothingChanged()).rejects.toThrow();
}, 60_000);

test('the properties above fired at least 800 requests', () => {
  expect(clients.reduce((n, c) => n + c.sent, 0)).toBeGreaterThanOrEqual(800);
});
