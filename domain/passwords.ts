/**
 * Password hashing with scrypt from node:crypto (memory-hard, no native add-on to build). Stored
 * format: `scrypt$N$r$p$salt$hash` (base64url): each hash records its own cost, so hashes made at an
 * older cost still verify and are recognised as outdated, and the login route re-hashes them at the
 * current cost on the next successful login.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 64;

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP Password Storage Cheat Sheet's scrypt recommendation: N=2^17, r=8, p=1 (128 MiB a hash). */
export const RECOMMENDED_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

/**
 * scrypt needs about 128·N·r bytes; Node refuses above `maxmem` (32 MiB by default, too little for
 * N=2^17). At least 256 MiB, and twice what a costlier stored hash needs, so raising the cost later
 * does not make existing hashes unverifiable.
 */
const MIN_MAX_MEMORY_BYTES = 256 * 1024 * 1024;

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: Math.max(MIN_MAX_MEMORY_BYTES, 2 * 128 * cost.N * cost.r) };
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): ParsedHash | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash || rest.length > 0) return null;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(cost).every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  return { cost, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

export async function hashPassword(password: string, cost: ScryptCost = RECOMMENDED_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await scrypt(password, parsed.salt, parsed.cost);
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** True when `stored` was made at a lower cost than `cost` in any parameter (or is not ours). */
export function needsRehash(stored: string, cost: ScryptCost): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  return parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}

/** What the login route uses for passwords: a seam so tests can count the checks. */
export interface PasswordHasher {
  verify(password: string, stored: string): Promise<boolean>;
  /** Whether a verified hash should be replaced by `hash(password)` (made at a lower cost). */
  needsRehash(stored: string): boolean;
  hash(password: string): Promise<string>;
  /** A hash of a random password at this cost, verified against for unknown emails so timing reveals nothing. */
  dummyHash(): Promise<string>;
}

export function createScryptHasher(cost: ScryptCost = RECOMMENDED_COST): PasswordHasher {
  let dummy: Promise<string> | undefined;
  return {
    verify: verifyPassword,
    needsRehash: (stored) => needsRehash(stored, cost),
    hash: (password) => hashPassword(password, cost),
    dummyHash: () => (dummy ??= hashPassword(randomBytes(16).toString('hex'), cost)),
  };
}
