/**
 * Debian's Chromium, headless, driven by playwright-core (never a downloaded browser). Each test
 * gets its own profile directory, so cookies and passkeys never leak between tests.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect, type TestContext } from 'vitest';

/** The flags these machines need (DESIGN.md "Testing"); Playwright adds --user-data-dir itself. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts', import.meta.url));
/** README screenshots; `LATCHKEY_UPDATE_DOCS_IMAGES=1 npx vitest run --project e2e` re-takes them. */
export const DOCS_IMAGES_DIR = fileURLToPath(new URL('../../docs/images', import.meta.url));

export const DESKTOP = { width: 1000, height: 700 };
export const PHONE = { width: 390, height: 844 };

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Every console message and uncaught error of the page, as `type: text`. */
  messages: string[];
  /**
   * Waits until a console message contains `text`; returns that message. No time limit of its
   * own: the test's timeout (generous, vitest.config.ts) is the only one.
   */
  waitForConsole(text: string): Promise<string>;
  screenshot(name: string): Promise<string>;
  /**
   * The page at desktop width (`<name>.png`) and at phone width (`<name>-phone.png`), back to
   * desktop afterwards; `docs` also copies both into docs/images when re-taking the README's.
   */
  screenshots(name: string, o?: { docs?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  const profile = await mkdtemp(path.join(tmpdir(), 'latchkey-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: DESKTOP,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Playwright's own 30 s limit per action is near what a busy 2-core machine can take for a
  // ceremony. A limit far above it still fails with the selector named, before the test's own
  // timeout (vitest.config.ts) would.
  context.setDefaultTimeout(150_000);
  const messages: string[] = [];
  const waiters = new Set<(message: string) => void>();
  const record = (message: string) => {
    messages.push(message);
    for (const w of waiters) w(message);
  };
  page.on('console', (m) => record(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => record(`pageerror: ${e.message}`));
  async function screenshot(name: string): Promise<string> {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, `${name}.png`);
    await page.screenshot({ path: file });
    return file;
  }

  return {
    context,
    page,
    messages,
    waitForConsole(text) {
      const seen = messages.find((m) => m.includes(text));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const waiter = (message: string) => {
          if (!message.includes(text)) return;
          waiters.delete(waiter);
          resolve(message);
        };
        waiters.add(waiter);
      });
    },
    screenshot,
    async screenshots(name, o = {}) {
      const files = [await screenshot(name)];
      await page.setViewportSize(PHONE);
      try {
        files.push(await screenshot(`${name}-phone`));
      } finally {
        await page.setViewportSize(DESKTOP);
      }
      if (o.docs && process.env['LATCHKEY_UPDATE_DOCS_IMAGES'] === '1') {
        await mkdir(DOCS_IMAGES_DIR, { recursive: true });
        for (const file of files) await copyFile(file, path.join(DOCS_IMAGES_DIR, path.basename(file)));
      }
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** For beforeEach: a fresh browser whose console is printed if the test fails. */
export async function browserForTest(ctx: TestContext): Promise<BrowserSession> {
  const b = await launchBrowser();
  ctx.onTestFailed(() => console.log(`Browser console:\n${b.messages.join('\n') || '(empty)'}`));
  return b;
}

/** For afterEach: closes the browser; an uncaught error in the page fails the test. */
export async function closeBrowserForTest(b: BrowserSession | undefined): Promise<void> {
  if (!b) return;
  const crashes = b.messages.filter((m) => m.startsWith('pageerror'));
  await b.close();
  expect(crashes).toEqual([]);
}

/** The page at 1280×800 and 390×844 (full page), into docs/images as `<name>.png` and `<name>-phone.png`. */
export async function docsScreenshots(page: Page, name: string): Promise<void> {
  await mkdir(DOCS_IMAGES_DIR, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(DOCS_IMAGES_DIR, `${name}.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(DOCS_IMAGES_DIR, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}
