import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { assertNoSeriousViolations } from '../support/axe.js';
import { inPage, saveScreenshot, startBrowserTest } from '../support/browser.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32"><rect width="120" height="32" fill="#c8102e"/></svg>`;

/** Configured branding reaches the launcher: the logo loads (the CSP allows its origin) and buttons take the colour. */
describe('branding from config (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let branded: TestEnvironment;
  let logoServer: Server;

  before(async () => {
    logoServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(LOGO));
    await new Promise<void>((resolve) => logoServer.listen(0, '127.0.0.1', resolve));
    const logoUrl = `http://127.0.0.1:${(logoServer.address() as AddressInfo).port}/logo.svg`;
    [, browser] = await startBrowserTest();
    branded = await useTestEnvironment({ BRANDING_COLOR: '#c8102e', BRANDING_LOGO_URL: logoUrl });
  });
  after(async () => {
    await browser?.close();
    logoServer?.close();
  });

  it('shows the logo and the brand colour on the pre-join page, readable in light and dark', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${branded.tool.demoUrl}/platform/launch?role=student&user=branded-student`);
      const join = page.getByRole('button', { name: 'Join the class' });
      await join.waitFor();
      const logo = page.locator('img.brand-logo');
      await logo.waitFor();
      assert.match((await logo.getAttribute('alt')) ?? '', / logo$/);
      await page.waitForFunction(inPage(`document.querySelector('img.brand-logo').naturalWidth > 0`));
      // A string: the test tsconfig has no DOM types.
      const background = await page.evaluate(
        `getComputedStyle([...document.querySelectorAll('button')].find((b) => b.textContent === 'Join the class')).backgroundColor`,
      );
      assert.equal(background, 'rgb(200, 16, 46)');
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await assertNoSeriousViolations(page, `branded pre-join (${colorScheme})`);
      }
      await saveScreenshot(page, 'branded-prejoin');
    } finally {
      await context.close();
    }
  });
});
