/**
 * What kind of database error an exception is, by its SQLSTATE. Prisma's driver adapter keeps the
 * server's code under `meta.driverAdapterError.cause.originalCode`; node-postgres errors carry it as
 * `code`. Both shapes are read here so callers never reach into either.
 */
const SQLSTATE = /^[0-9A-Z]{5}$/;

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** The SQLSTATE of `error` or of one of its causes, if it came from PostgreSQL. */
export function sqlStateOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; e = field(e, 'cause'), depth++) {
    const adapted = field(field(field(field(e, 'meta'), 'driverAdapterError'), 'cause'), 'originalCode');
    if (typeof adapted === 'string' && SQLSTATE.test(adapted)) return adapted;
    const own = field(e, 'code');
    if (typeof own === 'string' && SQLSTATE.test(own)) return own;
  }
  return undefined;
}

/** Integrity errors that depend only on the values written: a CHECK constraint, a NOT NULL column. */
const VALUE_INTEGRITY_ERRORS: ReadonlySet<string> = new Set(['23514', '23502']);

/**
 * SQLSTATE class 22, "data exception" (a value out of range for its column, malformed input, a
 * string too long), and the value-only integrity errors: the same statement with the same values
 * fails the same way every time. Unique violations are not among them: they depend on other rows.
 */
export function isDataError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && (state.startsWith('22') || VALUE_INTEGRITY_ERRORS.has(state));
}
