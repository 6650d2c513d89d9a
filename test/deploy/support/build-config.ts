/**
 * deploy/docker/tsconfig.build.json, the TypeScript project the Dockerfile compiles, read with the
 * TypeScript API itself, so "which sources are compiled, and to which path" is what tsc would do.
 */
import path from 'node:path';
import ts from 'typescript';
import { repoPath, repoRelative } from './repo-files';

export const BUILD_TSCONFIG = 'deploy/docker/tsconfig.build.json';

export interface BuildProject {
  /** Repository-relative sources tsc compiles. */
  sources: string[];
  /** Repository-relative include entries, as written in the config (resolved). */
  includes: string[];
  /** Repository-relative path of the compiled output of `source`. */
  outputOf(source: string): string;
}

export function loadBuildProject(): BuildProject {
  const configPath = repoPath(BUILD_TSCONFIG);
  const read = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  if (read.error)
    throw new Error(`${BUILD_TSCONFIG}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath), undefined, configPath);
  if (parsed.errors.length > 0) {
    throw new Error(
      `${BUILD_TSCONFIG}: ${parsed.errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('; ')}`,
    );
  }
  const { outDir, rootDir } = parsed.options;
  if (outDir === undefined || rootDir === undefined)
    throw new Error(`${BUILD_TSCONFIG}: outDir and rootDir must be set`);
  const rawIncludes: unknown = read.config?.include;
  const includes = Array.isArray(rawIncludes)
    ? rawIncludes
        .filter((i): i is string => typeof i === 'string')
        .map((i) => repoRelative(path.resolve(path.dirname(configPath), i)))
    : [];
  return {
    sources: parsed.fileNames.map(repoRelative),
    includes,
    outputOf: (source) =>
      repoRelative(path.join(outDir, path.relative(rootDir, repoPath(source)))).replace(/\.ts$/, '.js'),
  };
}
