import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FIRST_ACTIVITY } from '../../src/dev/demo-state.js';
import { assertNoSeriousViolations } from '../support/axe.js';
import { inPage, launchBrowser, saveScreenshot } from '../support/browser.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/**
 * Launches from the demo course page in a browser that keeps no tool cookie inside the course frame. The
 * course page is opened as http://localhost:PORT, a site other than the tool's http://127.0.0.1:PORT, so the
 * tool frame is third-party: its plain-http SameSite=Lax state cookie is refused there, as Safari or strict
 * settings refuse third-party cookies (and Chromium runs with its third-party cookie phase-out on). The demo
 * LMS's storage frame stays on the platform's own origin, the one the tool talks to.
 */
describe('launches where the browser blocks third-party cookies (headless Chromium)', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let browser: Browser;
  /** The course page on another site than the tool. */
  let crossSiteCourse: string;
  /** The course page on the tool's own origin: its cookie is first-party. */
  let sameSiteCourse: string;
  const contexts: BrowserContext[] = [];

  before(async () => {
    [env, browser] = await Promise.all([
      useTestEnvironment(),
      launchBrowser({ args: ['--test-third-party-cookie-phaseout'] }),
    ]);
    sameSiteCourse = env.tool.demoUrl as string;
    const url = new URL(sameSiteCourse);
    url.hostname = 'localhost';
    crossSiteCourse = url.toString();
    // The LMS page's own origin may frame the tool (a per-platform frame origin, as for a Canvas school domain).
    const { deploymentId, ...registration } = env.tool.demo!.registration;
    const res = await fetch(`${env.tool.url}/api/admin/platforms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.config.admin.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...registration, deploymentIds: [deploymentId], frameOrigins: [url.origin] }),
    });
    assert.equal(res.status, 200, await res.text());
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  after(() => browser?.close());

  /** The course page at `course`, and every path the tool's frame asked for. */
  async function openCourse(course: string): Promise<{ page: Page; context: BrowserContext; paths: string[] }> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 2000 } });
    contexts.push(context);
    const page = await context.newPage();
    const paths: string[] = [];
    page.on('request', (r) => paths.push(new URL(r.url()).pathname));
    await page.goto(course);
    return { page, context, paths };
  }

  async function withFailureShot(page: Page, name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      await saveScreenshot(page, `${name}-failure`).catch(() => undefined);
      throw err;
    }
  }

  const stateCookies = async (context: BrowserContext) =>
    (await context.cookies(env.tool.url)).filter((c) => c.name.startsWith('lti_state_'));
  const toolFrame = (page: Page) => page.frameLocator('iframe[name="tool-frame"]');
  const prejoinHeading = (page: Pick<Page, 'getByRole'>) =>
    page.getByRole('heading', { level: 1, name: FIRST_ACTIVITY.title });

  it('with platform storage on: the pre-join page opens in the course frame without any cookie', async () => {
    const { page, context, paths } = await openCourse(crossSiteCourse);
    await withFailureShot(page, 'cookieless-storage', async () => {
      await page.getByLabel('Offer platform storage').check();
      await page.getByRole('button', { name: 'Join as student', exact: true }).click();
      await prejoinHeading(toolFrame(page)).waitFor();
      assert.equal(await toolFrame(page).getByRole('button', { name: 'Join the class' }).isEnabled(), true);
      assert.ok(paths.includes('/lti/launch/storage'), `the launch went through platform storage: ${paths.join(' ')}`);
      assert.deepEqual(await stateCookies(context), [], 'the browser kept no state cookie');
    });
  });

  it('with storage off: the new-window way out appears, and opens the class in its own window', async () => {
    const { page, context } = await openCourse(crossSiteCourse);
    await withFailureShot(page, 'cookieless-new-window', async () => {
      await page.getByRole('button', { name: 'Join as student', exact: true }).click();
      const tool = toolFrame(page);
      await tool.getByRole('heading', { name: 'The live class could not open' }).waitFor();
      assert.match(await tool.getByRole('alert').innerText(), /blocked the storage this launch needs/);
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        tool.getByRole('link', { name: 'Open the live class in a new window' }).click(),
      ]);
      await popup.waitForURL((url) => url.pathname === '/launch');
      await prejoinHeading(popup).waitFor();
    });
  });

  it('when the LMS storage does not answer: after the timeout, the same way out', async () => {
    const { page, context } = await openCourse(crossSiteCourse);
    await withFailureShot(page, 'cookieless-storage-silent', async () => {
      // An LMS that sends lti_storage_target but whose storage frame never answers: a blank page of the
      // course's origin, which the tool's messages (for the platform's origin only) never reach.
      await page
        .locator('iframe[name="lti-storage"]')
        .evaluate((el) => ((el as unknown as { src: string }).src = 'about:blank'));
      await page.waitForFunction(inPage(`window.frames['lti-storage'].location.href === 'about:blank'`));
      await page.getByLabel('Offer platform storage').check();
      await page.getByRole('button', { name: 'Join as student', exact: true }).click();
      const tool = toolFrame(page);
      await tool.getByRole('heading', { name: 'The live class could not open' }).waitFor();
      assert.match(await tool.getByRole('alert').innerText(), /LMS storage did not answer/);
      assert.equal(await tool.locator('dd code').first().innerText(), 'LTI_STORAGE_UNAVAILABLE');
      const frame = page.frame({ name: 'tool-frame' });
      assert.ok(frame);
      await assertNoSeriousViolations(frame, 'storage way-out page');
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        tool.getByRole('link', { name: 'Open the live class in a new window' }).click(),
      ]);
      await prejoinHeading(popup).waitFor();
    });
  });

  it('where cookies are kept (same site), a storage launch still takes the cookie path', async () => {
    const { page, paths } = await openCourse(sameSiteCourse);
    await withFailureShot(page, 'cookieless-cookie-path', async () => {
      await page.getByLabel('Offer platform storage').check();
      await page.getByRole('button', { name: 'Join as student', exact: true }).click();
      await prejoinHeading(toolFrame(page)).waitFor();
      assert.ok(paths.includes('/lti/login'));
      assert.ok(!paths.includes('/lti/launch/storage'), 'the cookie was enough');
    });
  });
});
