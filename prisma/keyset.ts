/** Keyset pagination, newest first on (createdAt, id): stable while rows keep arriving. */
export interface CreatedAtKey {
  createdAt: Date;
  id: string;
}

/** Prisma `where` fragment for the rows after `after` in (createdAt desc, id desc) order. */
export function newestFirstAfter(after: CreatedAtKey | undefined) {
  return after === undefined
    ? {}
    : { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] };
}

export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
