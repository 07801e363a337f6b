import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { saveScreenshot, startBrowserTest } from '../support/browser.js';
import type { TestEnvironment } from '../support/test-tool.js';

/**
 * The strict policy against the real pages: the launcher framed by the demo LMS (deep linking, then the
 * pre-join page) and two people in a room with live media. Not one violation may be reported: a blocked
 * script, style, connection or media element would be a broken page for someone.
 */
describe('Content-Security-Policy in the browser (headless Chromium, real LiveKit)', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  before(async () => {
    [env, browser] = await startBrowserTest();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  after(() => browser?.close());

  /** A fresh profile that records every violation its pages and frames report, from their first byte. */
  async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1600 } });
    contexts.push(context);
    const violations: string[] = [];
    await context.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    // A string: the test tsconfig has no DOM types. Init scripts come from DevTools, which CSP does not govern.
    await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
      window.reportCspViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' on ' + location.pathname);
    });`);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    return { page, violations };
  }

  async function withFailureShots(pages: Page[], name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      await Promise.all(pages.map((p, i) => saveScreenshot(p, `${name}-failure-${i}`).catch(() => undefined)));
      throw err;
    }
  }

  it('the deep linking form inside the demo LMS frame works without a violation', async () => {
    const { page, violations } = await watchedPage();
    await withFailureShots([page], 'csp-deep-linking', async () => {
      await page.goto(env.tool.demoUrl as string);
      const tool = page.frameLocator('iframe[name="tool-frame"]');
      await page.getByRole('button', { name: 'Add activity (deep linking)' }).click();
      await tool.getByRole('heading', { level: 1, name: 'Add a live class' }).waitFor();
      await tool.getByLabel('Title (required)').fill('CSP class');
      await tool.getByRole('button', { name: 'Add to course' }).click();
      await tool.getByRole('heading', { name: 'Activity added: CSP class' }).waitFor();
      await tool.getByRole('link', { name: 'Back to the course' }).click();
      await page.getByRole('button', { name: 'Join as student', exact: true }).click();
      await tool.getByRole('button', { name: 'Join the class' }).waitFor();
    });
    assert.deepEqual(violations, []);
  });

  it('a teacher and a student in a room see and hear each other without a violation', async () => {
    const people = [
      { ...(await watchedPage()), role: 'instructor', user: 'csp-teacher' },
      { ...(await watchedPage()), role: 'student', user: 'csp-student' },
    ];
    const pages = people.map((p) => p.page);
    await withFailureShots(pages, 'csp-room', async () => {
      for (const { page, role, user } of people) {
        await page.goto(`${env.tool.demoUrl}/platform/launch?${new URLSearchParams({ role, user })}`);
        await page.waitForURL((url) => url.pathname === '/launch');
        await page.getByRole('button', { name: 'Join the class' }).click();
        await page.locator('.tile[data-local] video').waitFor();
      }
      for (const page of pages) {
        await page.locator('.tile:not([data-local]) video').waitFor();
        await page.locator('audio[data-identity]').waitFor({ state: 'attached' });
      }
    });
    assert.deepEqual(
      people.flatMap((p) => p.violations),
      [],
    );
  });
});
