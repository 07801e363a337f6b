import type { Browser, BrowserContext, Page } from 'playwright-core';
import { saveScreenshot, startBrowserTest } from './browser.js';
import { KEEP_PEER_CONNECTIONS } from './media-stats.js';
import type { TestEnvironment } from './test-tool.js';

export interface LaunchOptions {
  activity?: string;
  locale?: string;
  viewport?: { width: number; height: number };
}

/**
 * The usual browser room suite: registers before/after hooks that start the stack and Chromium and close
 * every context, and opens people on the pre-join page through a real demo LMS launch (the OIDC round trip,
 * landing on /launch#token=...), each in a fresh profile whose peer connections the test can read.
 */
export function useRoomPages(failurePrefix: string) {
  let env: TestEnvironment | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  before(async () => {
    [env, browser] = await startBrowserTest();
  });
  after(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await browser?.close();
  });

  const started = (): [TestEnvironment, Browser] => {
    if (!env || !browser) throw new Error('useRoomPages: the suite has not started');
    return [env, browser];
  };

  return {
    get env(): TestEnvironment {
      return started()[0];
    },

    async launch(role: 'instructor' | 'student', user: string, options: LaunchOptions = {}): Promise<Page> {
      const [environment, chromium] = started();
      const { activity, locale = 'en-US', viewport = { width: 1280, height: 900 } } = options;
      const context = await chromium.newContext({ locale, viewport });
      contexts.push(context);
      await context.addInitScript(KEEP_PEER_CONNECTIONS);
      const page = await context.newPage();
      const query = new URLSearchParams({ role, user, locale, ...(activity ? { activity } : {}) });
      await page.goto(`${environment.tool.demoUrl}/platform/launch?${query}`);
      await page.waitForURL((url) => url.pathname === '/launch');
      return page;
    },

    /** Runs `body`; on failure saves a screenshot of every page before rethrowing. */
    async withFailureShots(pages: Page[], body: () => Promise<void>): Promise<void> {
      try {
        await body();
      } catch (err) {
        await Promise.all(
          pages.map((p, i) => saveScreenshot(p, `${failurePrefix}-failure-${i}`).catch(() => undefined)),
        );
        throw err;
      }
    },
  };
}
