import { rm } from 'node:fs/promises';
import { dropDatabase } from '../../prisma/migrator';

export default async function globalTeardown(): Promise<void> {
  const stack = globalThis.__TEST_STACK__;
  if (!stack) return;
  await stack.devServer.stop();
  if (process.env.KEEP_TEST_DB !== '1') await dropDatabase(stack.databaseUrl);
  if (process.env.TEST_WORKFLOW_BUNDLE) await rm(process.env.TEST_WORKFLOW_BUNDLE, { force: true });
}
