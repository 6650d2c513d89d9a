import type { Db, Prisma } from '../../prisma/client';
import { createAuditRepository } from '../../prisma/repositories/audit';
import type { Principal } from '../auth/tokens';
import { ProblemError } from './problem';

/**
 * Runs a support/admin action and records it in the audit trail with its outcome, whether it
 * succeeded or was refused. Customers' own actions are not audited (they are the order's history).
 */
export function createAuditor(db: Db) {
  const audit = createAuditRepository(db);
  return async function audited<T>(
    principal: Principal,
    action: string,
    target: { type: string; id: string },
    details: Prisma.InputJsonValue,
    run: () => Promise<T>,
  ): Promise<T> {
    if (principal.role === 'customer') return run();
    const entry = {
      actorId: principal.id,
      actorRole: principal.role,
      action,
      targetType: target.type,
      targetId: target.id,
      details,
    };
    try {
      const result = await run();
      await audit.record({ ...entry, outcome: 'accepted' });
      return result;
    } catch (error) {
      await audit
        .record({ ...entry, outcome: error instanceof ProblemError ? error.code : 'error' })
        .catch(() => undefined);
      throw error;
    }
  };
}
