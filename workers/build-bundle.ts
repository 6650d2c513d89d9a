/**
 * Builds the workflow bundle once (`npm run build:workflows`, and `npm start`) so workers start
 * without running webpack, and every worker runs byte-identical workflow code.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repositoryRoot } from '../platform/repository-root';
import { tracedBundlePath, WORKFLOW_INTERCEPTOR_MODULES } from './tracing-interceptors';

/** Where `npm run build` writes the bundle (dist/workflow-bundle.js), as the Docker image does. */
export const DEFAULT_BUNDLE_PATH = path.join(repositoryRoot(__dirname), 'dist', 'workflow-bundle.js');

/** webpack's progress chatter is noise; warnings and errors still show. */
const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  log: () => undefined,
  warn: (message: string) => console.warn(`[bundle] ${message}`),
  error: (message: string) => console.error(`[bundle] ${message}`),
};

async function bundle(outPath: string, traced: boolean, workflowsPath: string): Promise<number> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    ...(traced ? { workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES } : {}),
    logger: quietLogger,
  });
  await mkdir(path.dirname(outPath), { recursive: true });
  await writeFile(outPath, code);
  return code.length;
}

/**
 * Bundles workflows/ into `outPath` and, with `traced`, its twin with the OpenTelemetry workflow
 * interceptors into tracedBundlePath(outPath). Returns the plain bundle's size in bytes.
 * `workflowsPath` is another entry point of workflows, for the versioning drill's second build.
 */
export async function buildWorkflowBundle(
  outPath = DEFAULT_BUNDLE_PATH,
  { traced = true, workflowsPath = require.resolve('../workflows') }: { traced?: boolean; workflowsPath?: string } = {},
): Promise<number> {
  const bytes = await bundle(outPath, false, workflowsPath);
  if (traced) await bundle(tracedBundlePath(outPath), true, workflowsPath);
  return bytes;
}

if (require.main === module) {
  const out = process.argv[2] ?? DEFAULT_BUNDLE_PATH;
  buildWorkflowBundle(out)
    .then((bytes) =>
      console.log(`workflow bundle written to ${path.relative(process.cwd(), out)} (${Math.round(bytes / 1024)} KiB)`),
    )
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
