import path from 'node:path';

/** Where `npm run build` (tsconfig.build.json) and the Docker image put the compiled code, under the root. */
export const BUILD_DIR_NAME = path.join('dist', 'app');

/**
 * The repository root (or the image's /app) from the directory of a module one level below it:
 * `tooling/` when it runs from the TypeScript sources, `dist/app/tooling/` when it runs compiled.
 */
export function repositoryRoot(moduleDir: string): string {
  const parent = path.resolve(moduleDir, '..');
  return parent.endsWith(`${path.sep}${BUILD_DIR_NAME}`) ? path.resolve(parent, '..', '..') : parent;
}
