// Prisma CLI configuration. Only `prisma generate` is run here (npm run prisma:generate): it reads the
// schema and needs no database. The datasource URL is for users who run Prisma's own tools with network.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/commerce' },
});
