import { z } from 'zod';
import { createAuditRepository } from '../../prisma/repositories/audit';
import { decodeCreatedAtCursor, limitParam, nextCreatedAtCursor } from '../http/pagination';
import { auditPageSchema, type AuditEntry } from '../../contract/response-schemas';
import { readQuery } from '../http/validation';
import { json } from '../openapi/operation';
import { routeGroup } from './define';

const listQuery = z.object({
  limit: limitParam,
  cursor: z.string().max(512).optional(),
  targetId: z.string().max(255).optional(),
});

const audit = routeGroup({
  prefix: '/v1/admin/audit',
  setup: ({ deps }) => ({ audit: createAuditRepository(deps.db) }),
});

/** GET /v1/admin/audit (admin): the audit trail of support and admin actions, newest first. */
export const adminAuditRoutes = audit.of([
  audit.route({
    method: 'get',
    path: '/v1/admin/audit',
    operationId: 'listAuditEntries',
    summary: 'The audit trail of support and admin actions, newest first (admin)',
    tag: 'Admin',
    access: ['admin'],
    query: listQuery,
    success: { 200: { description: 'A page of audit entries.', content: json('AuditPage', auditPageSchema) } },
    handler:
      ({ audit }) =>
      async (c) => {
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
      },
  }),
]);
