/**
 * The repository is self-contained: no tracked file refers to a document outside it (the contract is
 * docs/api.md), and every `<file>.md#<section>` a comment or document cites names a heading that
 * exists, so a renamed or removed section fails here instead of leaving a dead link behind. Anchors
 * are computed from headings the way GitHub renders them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROBLEM_CODES } from '../../contract/problem-codes';

const ROOT = path.resolve(__dirname, '../..');

/** GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen. */
function githubSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link reads as its text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a markdown text has: its headings' (repeats get -1, -2, ...) and explicit ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const fenceMark = /^\s*(```|~~~)/.exec(line)?.[1];
    if (fenceMark) {
      fence = fence === null ? fenceMark : fence === fenceMark ? null : fence;
      continue;
    }
    if (fence !== null) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const slug = githubSlug(heading);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  }
  return anchors;
}

const trackedFiles = (): string[] =>
  execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter((file) => file !== '');

const BINARY = /\.(png|jpe?g|gif|ico|svg|woff2?|wasm|gz|zip)$/i;

/** Tracked text files with their contents (binary and vanished files left out). */
function textFiles(): { file: string; text: string }[] {
  return trackedFiles()
    .filter((file) => !BINARY.test(file) && existsSync(path.join(ROOT, file)))
    .map((file) => ({ file, text: readFileSync(path.join(ROOT, file), 'utf8') }))
    .filter(({ text }) => !text.includes('\0'));
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

// Spelled in pieces so this file does not match its own patterns.
const OUTSIDE_REFERENCES: { pattern: RegExp; what: string }[] = [
  { pattern: new RegExp(`\\b${'API'}\\.md\\b`, 'g'), what: 'the contract outside the repository (cite docs/api.md)' },
  { pattern: new RegExp(`\\.\\./${'shared'}\\b`, 'g'), what: 'a path outside the repository' },
  { pattern: new RegExp(`/work/${'shared'}\\b`, 'g'), what: 'a path outside the repository' },
];

/**
 * `<path>.md#<anchor>` cited anywhere (a markdown link, a code comment), and `](#anchor)` inside a
 * markdown file. URLs (`https://...md#x`) are left out: they are not files of this repository.
 */
const CITATION = /(?<![\w:/.-])((?:\.{1,2}\/)*[\w.-]+(?:\/[\w.-]+)*\.md)#([\w-]+)/g;
const SAME_FILE = /\]\(#([\w-]+)\)/g;

/** The tracked file a citation names: relative to the citing file, else to the repository root. */
function resolveTarget(citingFile: string, target: string, tracked: Set<string>): string | undefined {
  const candidates = [path.posix.normalize(path.posix.join(path.posix.dirname(citingFile), target))];
  if (!target.startsWith('.')) candidates.push(path.posix.normalize(target));
  return candidates.find((candidate) => tracked.has(candidate));
}

describe('references between the files of the repository', () => {
  const files = textFiles();
  const tracked = new Set(trackedFiles());
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOfFile = (file: string): Set<string> => {
    let anchors = anchorCache.get(file);
    if (!anchors) {
      anchors = anchorsOf(readFileSync(path.join(ROOT, file), 'utf8'));
      anchorCache.set(file, anchors);
    }
    return anchors;
  };

  it('computes anchors as GitHub does', () => {
    expect(githubSlug('Limits and money rules')).toBe('limits-and-money-rules');
    expect(githubSlug('The simulated bank (3-D Secure)')).toBe('the-simulated-bank-3-d-secure');
    expect(githubSlug('Task-queue partitions')).toBe('task-queue-partitions');
    expect(githubSlug('`cart_change`, one statement')).toBe('cart_change-one-statement');
    expect(githubSlug('Adopted settings: catalog and the HTTP edge')).toBe(
      'adopted-settings-catalog-and-the-http-edge',
    );
    expect([...anchorsOf('# A\n## Notes\n```\n## Not a heading\n```\n### Notes\n')]).toEqual(['a', 'notes', 'notes-1']);
  });

  it('reads the files it checks', () => {
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['docs/api.md', 'docs/performance.md']));
  });

  it('no tracked file refers to a document outside the repository', () => {
    const found: string[] = [];
    for (const { file, text } of files) {
      for (const { pattern, what } of OUTSIDE_REFERENCES) {
        for (const match of text.matchAll(pattern)) found.push(`${file}:${lineOf(text, match.index)}: ${what}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('every cited section of a markdown file exists', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const { file, text } of files) {
      for (const match of text.matchAll(CITATION)) {
        checked += 1;
        const [, target = '', anchor = ''] = match;
        const where = `${file}:${lineOf(text, match.index)}: ${target}#${anchor}`;
        const resolved = resolveTarget(file, target, tracked);
        if (!resolved) broken.push(`${where} (no such file)`);
        else if (!anchorsOfFile(resolved).has(anchor)) broken.push(`${where} (no such section)`);
      }
      if (!file.endsWith('.md')) continue;
      for (const match of text.matchAll(SAME_FILE)) {
        if (!anchorsOfFile(file).has(match[1] ?? '')) broken.push(`${file}:${lineOf(text, match.index)}: #${match[1]}`);
      }
    }
    expect(broken).toEqual([]);
    // The comments and documents cite dozens of sections: none found means the pattern broke.
    expect(checked).toBeGreaterThan(50);
  });

  it('docs/api.md lists every problem code the API can answer, with its status', () => {
    const contract = readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');
    const missing = Object.entries(PROBLEM_CODES)
      .filter(([code, { status }]) => !contract.includes(`| ${status} | \`${code}\` |`))
      .map(([code]) => code);
    expect(missing).toEqual([]);
  });

  it('the contract and the performance reference keep their shape', () => {
    const performance = readFileSync(path.join(ROOT, 'docs/performance.md'), 'utf8');
    expect(performance.trimEnd().split('\n').length).toBeLessThanOrEqual(300);
    const contract = anchorsOfFile('docs/api.md');
    for (const section of ['problem-codes', 'limits-and-money-rules', 'web-pages', 'webhooks', 'rate-limits']) {
      expect(contract).toContain(section);
    }
  });
});
