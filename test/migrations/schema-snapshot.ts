/**
 * The schema of a database as PostgreSQL's catalog states it, in a form two databases can be
 * compared with: every type, column, constraint, index, sequence, function and trigger of the
 * public schema, each as the catalog prints its definition. Prisma's bookkeeping table is left out.
 */
import { Client } from 'pg';

export interface SchemaSnapshot {
  enums: string[];
  columns: string[];
  constraints: string[];
  indexes: string[];
  sequences: string[];
  functions: string[];
  triggers: string[];
}

const BOOKKEEPING = '_prisma_migrations';

async function lines(client: Client, sql: string): Promise<string[]> {
  const { rows } = await client.query<{ line: string }>(sql, [BOOKKEEPING]);
  return rows.map((r) => r.line);
}

export async function schemaSnapshot(databaseUrl: string): Promise<SchemaSnapshot> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return {
      enums: await lines(
        client,
        `SELECT t.typname || ': ' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS line
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public' AND t.typname <> $1 GROUP BY t.typname ORDER BY 1`,
      ),
      columns: await lines(
        client,
        `SELECT c.relname || '.' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> $1 AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY c.relname, a.attnum`,
      ),
      constraints: await lines(
        client,
        `SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS line
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relname <> $1 ORDER BY 1`,
      ),
      indexes: await lines(
        client,
        `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> $1 ORDER BY indexname`,
      ),
      sequences: await lines(
        client,
        `SELECT s.sequencename || ' ' || s.data_type || ' owned by ' || COALESCE(d.refobjid::regclass::text, '-') AS line
         FROM pg_sequences s
         LEFT JOIN pg_depend d ON d.objid = (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass
                              AND d.deptype = 'a' AND d.classid = 'pg_class'::regclass
         WHERE s.schemaname = 'public' AND s.sequencename <> $1 ORDER BY 1`,
      ),
      // The whole definition (arguments, result, language, volatility, body), not only the name.
      functions: await lines(
        client,
        `SELECT pg_get_functiondef(p.oid) AS line
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND p.proname <> $1 ORDER BY p.proname, pg_get_function_identity_arguments(p.oid)`,
      ),
      triggers: await lines(
        client,
        `SELECT pg_get_triggerdef(t.oid) AS line
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND NOT t.tgisinternal AND c.relname <> $1 ORDER BY t.tgname`,
      ),
    };
  } finally {
    await client.end();
  }
}
