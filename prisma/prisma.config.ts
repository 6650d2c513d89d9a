// Prisma CLI configuration. Only `prisma generate` is run here (npm run prisma:generate): it reads the
// schema and needs no database. The datasource URL is for users who run Prisma's own tools with network.
import { defineConfig } from 'prisma/config';
import { z } from 'zod';
import { parseEnv, sharedEnvShape } from '../platform/env';

// DATABASE_URL parsed as every process parses it, with the same default.
const { DATABASE_URL } = parseEnv(z.object({ DATABASE_URL: sharedEnvShape.DATABASE_URL }), process.env);

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: DATABASE_URL },
});
