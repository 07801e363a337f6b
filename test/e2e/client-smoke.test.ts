import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { clientBuildDir } from '../../src/paths.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

describe('client smoke (headless Chromium)', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let browser: Browser;

  before(async () => {
    if (!existsSync(path.join(clientBuildDir(), 'index.html'))) {
      throw new Error(`No client build in ${clientBuildDir()}: run \`npm run build:client\` before the e2e tests.`);
    }
    [env, browser] = await Promise.all([useTestEnvironment(), launchBrowser()]);
  });
  after(() => browser?.close());

  it('serves the placeholder page, which shows the database and LiveKit as OK', async function () {
    const page = await browser.newPage();
    try {
      const response = await page.goto(env.tool.url);
      assert.equal(response?.status(), 200);
      await page.getByRole('heading', { level: 1, name: 'Live class' }).waitFor();

      const status = page.getByRole('status');
      await status.locator('li').first().waitFor();
      assert.deepEqual(await status.locator('li').allInnerTexts(), ['database: OK', 'livekit: OK']);
      await saveScreenshot(page, 'client-smoke');
    } catch (err) {
      await saveScreenshot(page, 'client-smoke-failure').catch(() => undefined);
      throw err;
    } finally {
      await page.close();
    }
  });

  it('serves hashed assets as immutable', async () => {
    const page = await browser.newPage();
    try {
      const cacheControls: string[] = [];
      page.on('response', (res) => {
        if (new URL(res.url()).pathname.startsWith('/assets/'))
          cacheControls.push(res.headers()['cache-control'] ?? '');
      });
      await page.goto(env.tool.url, { waitUntil: 'load' });
      assert.ok(cacheControls.length > 0, 'the page loaded no /assets/ file');
      for (const cacheControl of cacheControls) assert.match(cacheControl, /immutable/);
    } finally {
      await page.close();
    }
  });
});
