import type { DbClient } from '../client';
import type { Role } from '../../domain/statuses';

export type { Role };

export interface UserCredentials {
  id: string;
  email: string;
  role: Role;
  passwordHash: string;
  tokenVersion: number;
}

export function createUserRepository(db: DbClient) {
  return {
    /** Emails are compared case-insensitively: they are stored lower-cased. */
    findCredentialsByEmail(email: string): Promise<UserCredentials | null> {
      return db.user.findUnique({
        where: { email: email.toLowerCase() },
        select: { id: true, email: true, role: true, passwordHash: true, tokenVersion: true },
      });
    },

    /** The user of `email` (compared case-insensitively, as sign-in does), for support's order search. */
    async findIdByEmail(email: string): Promise<string | null> {
      const row = await db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true } });
      return row?.id ?? null;
    },

    /** Email addresses of the users among `ids` who still exist. */
    async emailsOf(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db.user.findMany({
        where: { id: { in: [...new Set(ids)] } },
        select: { id: true, email: true },
      });
      return new Map(rows.map((r) => [r.id, r.email]));
    },

    /**
     * Whether a token's claims are still its user's (same role and token version; false once the
     * user is deleted), asked of every authenticated request. The rule is the database function
     * token_is_current (the baseline migration), its one owner: the cart statements call it too.
     */
    async isTokenCurrent(claims: { id: string; role: Role; tokenVersion: number }): Promise<boolean> {
      const [row] = await db.$queryRaw<{ current: boolean }[]>`
        SELECT token_is_current(${claims.id}::uuid, ${claims.role}, ${claims.tokenVersion}::int) AS current`;
      return row?.current === true;
    },

    /**
     * Creates the user, or resets password and role of an existing one (used by the dev seed). A
     * reset ends the user's existing tokens (their role or password may just have changed).
     */
    async upsertUser(user: { id: string; email: string; role: Role; passwordHash: string }): Promise<void> {
      const email = user.email.toLowerCase();
      await db.user.upsert({
        where: { email },
        create: { ...user, email },
        update: { role: user.role, passwordHash: user.passwordHash, tokenVersion: { increment: 1 } },
      });
    },

    /**
     * Replaces the hash only if it is still `previous` (a password changed meanwhile is kept). Not a
     * credential change: the token version stays, so tokens of this user keep working.
     */
    async replacePasswordHash(id: string, previous: string, next: string): Promise<void> {
      await db.user.updateMany({ where: { id, passwordHash: previous }, data: { passwordHash: next } });
    },

    /** Ends every access token issued to the user so far (sign-out: docs/api.md#authentication-and-roles). */
    async endTokens(id: string): Promise<void> {
      await db.user.updateMany({ where: { id }, data: { tokenVersion: { increment: 1 } } });
    },

    /** Changes the role and ends every token issued before (a demoted admin's token must not stay admin). */
    async changeRole(id: string, role: Role): Promise<boolean> {
      const { count } = await db.user.updateMany({ where: { id }, data: { role, tokenVersion: { increment: 1 } } });
      return count === 1;
    },

    /** Deletes the user; their tokens stop working at once (the version lookup finds no user). */
    async deleteUser(id: string): Promise<boolean> {
      const { count } = await db.user.deleteMany({ where: { id } });
      return count === 1;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
