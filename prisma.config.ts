// Prisma CLI configuration. Only `prisma generate` is run here (see scripts/generate.sh): it reads the
// schema and needs no database. The datasource URL is for users who run Prisma's own tools with network.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/commerce' },
});
