/** Launching Chromium for the console's browser tests. */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { rawRequest } from '../helpers.js';

export const CHROMIUM = process.env.OPENDDB_CHROMIUM ?? '/usr/bin/chromium';
/** The reason to skip browser tests, or false when Chromium is there. */
export const NO_BROWSER: string | false = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (install it with: apt-get install chromium)`;

export interface BrowserSession {
  browser: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile directory (Playwright passes it as --user-data-dir). */
export async function openBrowser(): Promise<BrowserSession> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'openddb-console-browser-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 760 },
    acceptDownloads: true,
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  return {
    browser,
    page,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot of the view into OPENDDB_CONSOLE_SCREENSHOTS (for docs/console.md), when that is set. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  const dir = process.env.OPENDDB_CONSOLE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
}
