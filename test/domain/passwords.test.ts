/**
 * domain/passwords.ts: scrypt hashes that record their own cost, verify only the password they were
 * made from, and say when they were made at a lower cost than today's.
 */
import fc from 'fast-check';
import {
  createScryptHasher,
  hashPassword,
  needsRehash,
  RECOMMENDED_COST,
  verifyPassword,
  type ScryptCost,
} from '../../domain/passwords';

// A cheap cost keeps the properties fast; the format and the rules do not depend on it.
const CHEAP: ScryptCost = { N: 1024, r: 8, p: 1 };

test('a hash records scheme and cost, and is salted: the same password hashes differently twice', async () => {
  const a = await hashPassword('correct horse', CHEAP);
  const b = await hashPassword('correct horse', CHEAP);
  expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
  expect(a).not.toBe(b);
  expect(await verifyPassword('correct horse', b)).toBe(true);
});

test('property: a hash verifies its own password and no other', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), async (password, other) => {
      fc.pre(password !== other);
      const stored = await hashPassword(password, CHEAP);
      expect(await verifyPassword(password, stored)).toBe(true);
      expect(await verifyPassword(other, stored)).toBe(false);
    }),
    { numRuns: 25 },
  );
});

test.each([
  '',
  'bcrypt$2b$10$abcdefghijklmnopqrstuv',
  'scrypt$1024$8$1$c2FsdA',
  'scrypt$0$8$1$c2FsdA$aGFzaA',
  'scrypt$x$8$1$c2FsdA$aGFzaA',
  'scrypt$1024$8$1$c2FsdA$aGFzaA$extra',
])('%j is not a hash of ours: it verifies nothing and needs a rehash', async (stored) => {
  expect(await verifyPassword('', stored)).toBe(false);
  expect(needsRehash(stored, CHEAP)).toBe(true);
});

test('a hash with one tampered byte verifies nothing', async () => {
  const stored = await hashPassword('pw', CHEAP);
  // Flip a decoded byte, not the last base64 character: that one also carries unused padding bits,
  // so changing it may leave the key as it was.
  const parts = stored.split('$');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  key[0] = (key[0] ?? 0) ^ 0xff;
  parts[5] = key.toString('base64url');
  expect(await verifyPassword('pw', parts.join('$'))).toBe(false);
});

test.each<[ScryptCost, ScryptCost, boolean]>([
  [CHEAP, CHEAP, false],
  [CHEAP, { N: 2048, r: 8, p: 1 }, true],
  [CHEAP, { N: 1024, r: 16, p: 1 }, true],
  [CHEAP, { N: 1024, r: 8, p: 2 }, true],
  [{ N: 2048, r: 8, p: 1 }, CHEAP, false],
  [CHEAP, RECOMMENDED_COST, true],
])('made at %j, today %j: needs a rehash %s', async (made, today, expected) => {
  expect(needsRehash(await hashPassword('pw', made), today)).toBe(expected);
});

test('the hasher hashes at its cost, and its dummy hash is made once and matches no typed password', async () => {
  const hasher = createScryptHasher(CHEAP);
  const stored = await hasher.hash('pw');
  expect(stored.startsWith('scrypt$1024$8$1$')).toBe(true);
  expect(await hasher.verify('pw', stored)).toBe(true);
  expect(hasher.needsRehash(stored)).toBe(false);
  const dummy = await hasher.dummyHash();
  expect(await hasher.dummyHash()).toBe(dummy);
  expect(await hasher.verify('', dummy)).toBe(false);
});
