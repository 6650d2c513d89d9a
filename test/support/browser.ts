/**
 * Real Chromium for the web tests: Debian's build (tooling/ensure-browser.sh installs it) driven
 * through the pinned playwright-core, whose own browser download cannot work offline. One browser
 * per test file, a fresh context (cookies, storage) per journey. Each journey's last page is saved
 * as a screenshot under test-artifacts/screenshots/ (git-ignored), the evidence of what it showed.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { hookStarted } from './hook-started';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium off the network it does not have here, and working as root. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts', 'screenshots');

/**
 * Waits for outcomes on a slow shared machine: a page action or assertion may take this long
 * before it counts as failed. Nothing in the tests sleeps; they wait for what they expect.
 */
export const OUTCOME_TIMEOUT_MS = 30_000;

export interface BrowserHarness {
  browser: Browser;
  /** A new, empty browser context (no cookies) with a page, both closed with the browser. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<{ context: BrowserContext; page: Page }>;
  /** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png; returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
}

export async function launchBrowser(baseURL: string): Promise<BrowserHarness & { close(): Promise<void> }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  return {
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({ baseURL, locale: 'en-US', ...options });
      context.setDefaultTimeout(OUTCOME_TIMEOUT_MS);
      context.setDefaultNavigationTimeout(OUTCOME_TIMEOUT_MS);
      return { context, page: await context.newPage() };
    },
    async screenshot(page, name) {
      await mkdir(ARTIFACTS_DIR, { recursive: true });
      const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => browser.close(),
  };
}

/**
 * The test file's browser, launched before its first test against `baseUrl()` (read then, so it
 * can come from a harness that starts in an earlier beforeAll), closed after its last.
 */
export function useBrowser(baseUrl: () => string): BrowserHarness {
  let harness: (BrowserHarness & { close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    harness = await launchBrowser(baseUrl());
  });
  afterAll(async () => {
    await harness?.close();
  });
  return hookStarted(() => harness, 'the browser');
}

/**
 * Marks the page's current document; `stillSameDocument` is true only while no navigation or
 * reload has replaced it since. Proves a page changed live, not by loading again.
 */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (globalThis as { __sameDocument?: boolean }).__sameDocument = true;
  });
}

export async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument === true);
}
