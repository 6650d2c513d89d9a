/**
 * Authorization headers that must all be refused with 401: missing, garbage, unsigned (`alg: none`),
 * signed with another key or algorithm, expired, not yet valid, for another issuer or audience,
 * with claims the API does not issue, or a real token whose payload was edited.
 */
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import type { World } from './world';

export interface TokenContext {
  secret: string;
  issuer: string;
  audience: string;
  /** Subjects to impersonate: real users and ids of nobody. */
  subjects: readonly string[];
  /** A real, valid customer token, to tamper with. */
  customerToken: string;
}

/** The context of `world`'s API: its secret, issuer and audience; its users and ids of nobody; Alice's token. */
export function tokenContextOf(world: World): TokenContext {
  const config = world.api.deps.config;
  return {
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    subjects: [...world.userIds(), ...world.phantomIds],
    customerToken: world.alice.token,
  };
}

export interface ForgedAuthorization {
  /** How it was forged (shown when a case fails). */
  kind: string;
  /** The Authorization header, or undefined to send none. */
  header: string | undefined;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** Header values fetch can send: printable ASCII and Latin-1, no CR/LF/NUL. */
const headerText = fc.string({
  unit: fc.oneof(
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
    fc.constantFrom('\u00e9', '\u00ff', '\u00a0'),
  ),
  maxLength: 200,
});

export function forgedAuthorization(ctx: TokenContext): fc.Arbitrary<ForgedAuthorization> {
  const role = fc.constantFrom('customer', 'support', 'admin');
  const subject = fc.constantFrom(...ctx.subjects);
  const claims = fc.record({
    sub: subject,
    role,
    iss: fc.constant(ctx.issuer),
    aud: fc.constant(ctx.audience),
    exp: fc.constant(now() + 600),
  });
  const signed = (payload: object, key: string = ctx.secret, algorithm: jwt.Algorithm = 'HS256') =>
    jwt.sign(payload, key, { algorithm });
  const bearer =
    (kind: string) =>
    (token: string): ForgedAuthorization => ({ kind, header: `Bearer ${token}` });

  const [realHeader, realPayload, realSignature] = ctx.customerToken.split('.') as [string, string, string];
  const realClaims = JSON.parse(Buffer.from(realPayload, 'base64url').toString('utf8')) as Record<string, unknown>;

  return fc.oneof(
    fc.constant<ForgedAuthorization>({ kind: 'missing', header: undefined }),
    headerText.map((h) => ({ kind: 'garbage header', header: h })),
    fc
      .constantFrom(
        'Bearer',
        'Bearer ',
        'Basic YTpi',
        'Bearer null',
        'Bearer undefined',
        'Bearer ...',
        'Bearer a.b.c',
        `Token ${ctx.customerToken}`,
        `Bearer ${ctx.customerToken} ${ctx.customerToken}`,
      )
      .map((h) => ({ kind: 'malformed scheme or token', header: h })),
    fc.tuple(headerText, headerText, headerText).map(([a, b, c]) => ({
      kind: 'three garbage segments',
      header: `Bearer ${Buffer.from(a).toString('base64url')}.${Buffer.from(b).toString('base64url')}.${Buffer.from(c).toString('base64url')}`,
    })),
    fc
      .tuple(claims, fc.string({ minLength: 1, maxLength: 64 }))
      .filter(([, key]) => key !== ctx.secret)
      .map(([c, key]) => bearer('signed with another secret')(signed(c, key))),
    claims.map((c) => bearer('alg none, no signature')(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(c)}.`)),
    claims.map((c) =>
      bearer('alg none, stolen signature')(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(c)}.${realSignature}`),
    ),
    fc
      .tuple(claims, fc.constantFrom<jwt.Algorithm>('HS384', 'HS512'))
      .map(([c, alg]) => bearer(`right secret, ${alg}`)(signed(c, ctx.secret, alg))),
    fc
      .tuple(claims, hostileIssuerOrAudience(ctx.issuer))
      .map(([c, iss]) => bearer('wrong issuer')(signed({ ...c, iss }))),
    fc
      .tuple(claims, hostileIssuerOrAudience(ctx.audience))
      .map(([c, aud]) => bearer('wrong audience')(signed({ ...c, aud }))),
    claims.map(({ iss: _iss, ...c }) => bearer('no issuer')(signed(c))),
    claims.map(({ aud: _aud, ...c }) => bearer('no audience')(signed(c))),
    fc
      .tuple(claims, fc.integer({ min: 1, max: 10 ** 6 }))
      .map(([c, ago]) => bearer('expired')(signed({ ...c, exp: now() - ago }))),
    fc
      .tuple(claims, fc.integer({ min: 120, max: 10 ** 6 }))
      .map(([c, later]) => bearer('not yet valid')(signed({ ...c, nbf: now() + later }))),
    fc
      .tuple(
        claims,
        fc.oneof(fc.constantFrom('superuser', 'ADMIN', 'Admin', '', 'root'), fc.constant(['admin']), fc.constant(null)),
      )
      .map(([c, r]) => bearer('right secret, unknown role')(signed({ ...c, role: r }))),
    fc
      .tuple(
        claims,
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom(0, null, 'admin', '00000000-0000-0000-0000-00000000000g'),
        ),
      )
      .map(([c, sub]) => bearer('right secret, subject not a uuid')(signed({ ...c, sub }))),
    claims.map(({ role: _role, ...c }) => bearer('right secret, no role')(signed(c))),
    fc
      .tuple(role, subject)
      .map(([r, sub]) =>
        bearer('tampered payload, real signature')(
          `${realHeader}.${b64({ ...realClaims, role: r === realClaims.role ? 'admin' : r, sub })}.${realSignature}`,
        ),
      ),
    fc
      .constantFrom(1, 2, 5)
      .map((n) =>
        bearer('real token with its signature cut')(`${realHeader}.${realPayload}.${realSignature.slice(0, -n)}`),
      ),
    fc
      .constantFrom('A', 'xx', '.x')
      .map((tail) => bearer('real token with bytes appended')(`${ctx.customerToken}${tail}`)),
    claims.map((c) =>
      bearer('8 KiB payload, another secret')(signed({ ...c, pad: 'p'.repeat(8 * 1024) }, `${ctx.secret}-not`)),
    ),
  );
}

function hostileIssuerOrAudience(real: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(`${real} `, real.toUpperCase(), `${real}-evil`, '', [`x-${real}`], 42),
    fc.string({ maxLength: 30 }).filter((s) => s !== real),
  );
}
