// Browser tests drive Debian's chromium (never a downloaded browser) through playwright-core,
// against a real `argot server` process serving the built UI. Screenshots go to test-output/ui/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { freshHome, repo } from '../cli/cli.js';
import { freePort, startServer, stopServers } from '../server/server-process.js';

export const CHROMIUM = process.env.ARGOT_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = join(repo, 'test-output', 'ui');

/** Why the browser tests cannot run here, or undefined when they can. `.ci/run` installs chromium. */
export function browserMissing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM} (apt-get install chromium, or set ARGOT_CHROMIUM)`;
  const ui = process.env.ARGOT_UI_DIR ?? join(repo, 'dist', 'ui');
  if (!existsSync(join(ui, 'index.html'))) return `the UI is not built at ${ui} (npm run build)`;
  return undefined;
}

export interface UiEnv {
  /** `http://127.0.0.1:PORT` of the server. */
  url: string;
  home: string;
  browser: Browser;
  page: Page;
  /** Saves a full-page PNG as test-output/ui/NAME.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh server (own data dir) and a fresh headless browser page on it. */
export async function openUi(opts: { serverArgs?: string[]; colorScheme?: 'light' | 'dark' } = {}): Promise<UiEnv> {
  const home = freshHome();
  const port = await freePort();
  await startServer(home, port, opts.serverArgs);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Without the networking flags chromium tries Google's hosts, which this machine refuses.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: opts.colorScheme ?? 'light' });
  const page = await context.newPage();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    home,
    browser,
    page,
    async screenshot(name) {
      mkdirSync(screenshotDir, { recursive: true });
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await browser.close().catch(() => undefined);
      stopServers();
    },
  };
}

/**
 * What every browser test file starts with: why the tests cannot run here (said once, and then
 * they skip), and `open`, whose server and browser are closed after each test.
 */
export function browserTests(): { missing: string | undefined; open(opts?: Parameters<typeof openUi>[0]): Promise<UiEnv> } {
  const missing = browserMissing();
  if (missing) console.warn(`skipping browser tests: ${missing}`);
  const opened: UiEnv[] = [];
  afterEach(async () => {
    for (const env of opened.splice(0)) await env.close();
  });
  return {
    missing,
    async open(opts) {
      const env = await openUi(opts);
      opened.push(env);
      return env;
    },
  };
}
