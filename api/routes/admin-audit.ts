import { Hono } from 'hono';
import { z } from 'zod';
import { createAuditRepository } from '../../prisma/repositories/audit';
import { requireRole, type AuthVariables } from '../auth/middleware';
import type { TokenSettings } from '../auth/tokens';
import type { AppDependencies } from '../deps';
import { decodeCreatedAtCursor, limitParam, nextCreatedAtCursor } from '../http/pagination';
import type { AuditEntry } from '../http/response-schemas';
import { readQuery } from '../http/validation';

export const listQuery = z.object({
  limit: limitParam,
  cursor: z.string().max(512).optional(),
  targetId: z.string().max(255).optional(),
});

/** GET /v1/admin/audit (admin): the audit trail of support and admin actions, newest first. */
export function adminAuditRoutes({ db }: AppDependencies, tokens: TokenSettings) {
  const audit = createAuditRepository(db);

  return new Hono<{ Variables: AuthVariables }>().get('/', requireRole(tokens, 'admin'), async (c) => {
    const q = readQuery(c, listQuery);
    const after = decodeCreatedAtCursor(q.cursor);
    const page = await audit.list({
      limit: q.limit,
      ...(q.targetId === undefined ? {} : { targetId: q.targetId }),
      ...(after === undefined ? {} : { after }),
    });
    return c.json({
      items: page.items.map((e): AuditEntry => ({ ...e, createdAt: e.createdAt.toISOString() })),
      nextCursor: nextCreatedAtCursor(page.items.at(-1), page.hasMore),
    });
  });
}
