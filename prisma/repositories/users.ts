import type { DbClient } from '../client';
import type { Role } from '../../domain/statuses';

export type { Role };

export interface UserCredentials {
  id: string;
  email: string;
  role: Role;
  passwordHash: string;
}

export function createUserRepository(db: DbClient) {
  return {
    /** Emails are compared case-insensitively: they are stored lower-cased. */
    findCredentialsByEmail(email: string): Promise<UserCredentials | null> {
      return db.user.findUnique({
        where: { email: email.toLowerCase() },
        select: { id: true, email: true, role: true, passwordHash: true },
      });
    },

    /** Creates the user, or resets password and role of an existing one (used by the dev seed). */
    async upsertUser(user: { id: string; email: string; role: Role; passwordHash: string }): Promise<void> {
      const email = user.email.toLowerCase();
      await db.user.upsert({
        where: { email },
        create: { ...user, email },
        update: { role: user.role, passwordHash: user.passwordHash },
      });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
