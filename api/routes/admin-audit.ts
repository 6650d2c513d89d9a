import { Hono } from 'hono';
import { z } from 'zod';
import { createAuditRepository } from '../../prisma/repositories/audit';
import { requireRole, type AuthVariables } from '../auth/middleware';
import type { TokenSettings } from '../auth/tokens';
import type { AppDependencies } from '../deps';
import { decodeCursor, encodeCursor, limitParam } from '../http/pagination';
import { readQuery } from '../http/validation';

const listQuery = z.object({ limit: limitParam, cursor: z.string().max(512).optional(), targetId: z.string().max(255).optional() });
const auditCursor = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });

/** GET /v1/admin/audit (admin): the audit trail of support and admin actions, newest first. */
export function adminAuditRoutes({ db }: AppDependencies, tokens: TokenSettings) {
  const audit = createAuditRepository(db);

  return new Hono<{ Variables: AuthVariables }>().get('/', requireRole(tokens, 'admin'), async (c) => {
    const q = readQuery(c, listQuery);
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, auditCursor);
    const page = await audit.list({
      limit: q.limit,
      ...(q.targetId === undefined ? {} : { targetId: q.targetId }),
      ...(after === undefined ? {} : { after: { createdAt: new Date(after.createdAt), id: after.id } }),
    });
    const last = page.items.at(-1);
    return c.json({
      items: page.items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
      nextCursor: page.hasMore && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
    });
  });
}
