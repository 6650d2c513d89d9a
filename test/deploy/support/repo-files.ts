/**
 * Reading the repository's deployment files for the static deploy tests. Every error names the file
 * (and, for YAML, the line), so a failing test says where to look.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export function repoPath(relative: string): string {
  return path.join(REPO_ROOT, relative);
}

/** Repository-relative, forward slashes: the form every failure message uses. */
export function repoRelative(absolute: string): string {
  return path.relative(REPO_ROOT, absolute).split(path.sep).join('/');
}

export function repoFileExists(relative: string): boolean {
  return existsSync(repoPath(relative));
}

export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

/** Every file under `dir` (repository-relative) ending with one of `suffixes`, sorted. */
export function listRepoFiles(dir: string, suffixes: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (absolute: string): void => {
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      const child = path.join(absolute, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (suffixes.some((s) => entry.name.endsWith(s))) found.push(repoRelative(child));
    }
  };
  walk(repoPath(dir));
  return found.sort();
}

/**
 * The documents of a YAML file as plain values (empty documents dropped). Merge keys (`<<`, used by
 * Compose files) are resolved. Any parse error or warning, duplicate keys included, throws.
 */
export function loadYamlDocuments(relative: string): unknown[] {
  const documents = parseAllDocuments(readRepoFile(relative), { merge: true });
  const problems = documents.flatMap((d) => [...d.errors, ...d.warnings].map((e) => `${relative}: ${e.message}`));
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return documents.map((d): unknown => d.toJS()).filter((value) => value !== null && value !== undefined);
}

/** A YAML file that must hold exactly one document. */
export function loadYamlFile(relative: string): unknown {
  const documents = loadYamlDocuments(relative);
  if (documents.length !== 1) throw new Error(`${relative}: expected one YAML document, found ${documents.length}`);
  return documents[0];
}
