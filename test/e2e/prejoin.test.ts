import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { inPage, launchBrowser, startBrowserTest, saveScreenshot } from '../support/browser.js';
import { type TestEnvironment } from '../support/test-tool.js';

/**
 * The pre-join page's devices with Chromium's fake camera (a test pattern) and microphone (a beep): the
 * preview, the level meter and the pickers; then a course page whose iframe grants neither device, where
 * the page explains why and continues the same launch in a new window.
 */
describe('pre-join devices (headless Chromium, fake media)', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let browser: Browser;
  let demoUrl: string;
  const contexts: BrowserContext[] = [];
  /** A second browser whose (fake) permission prompt answers "Block". */
  let denying: Browser | undefined;

  before(async () => {
    [env, browser] = await startBrowserTest();
    demoUrl = env.tool.demoUrl as string;
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  after(() => Promise.all([browser?.close(), denying?.close()]));

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 1400 } });
    contexts.push(context);
    return context;
  }

  async function withFailureShot(page: Page, name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      await saveScreenshot(page, `${name}-failure`).catch(() => undefined);
      throw err;
    }
  }

  /** Waits until the preview <video> has decoded a frame and plays. */
  const previewPlaying = (target: Page | Frame) =>
    target.waitForFunction(
      inPage(`(() => {
      const video = document.querySelector('video.preview-video');
      return !!video && video.videoWidth > 0 && !video.paused && video.readyState >= 2;
    })()`),
    );

  /** Waits until the microphone meter shows some level (the fake microphone beeps). */
  const meterMoves = (target: Page | Frame) =>
    target.waitForFunction(inPage(`(document.querySelector('meter#mic-level')?.value ?? 0) > 0`), null, {
      timeout: 15_000,
    });

  const optionCount = async (target: Page | Frame, label: string): Promise<number> =>
    target.getByLabel(label, { exact: true }).locator('option').count();

  it('shows the camera preview, a moving microphone meter and the fake devices, then joins from them', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await withFailureShot(page, 'prejoin', async () => {
      // A class of its own (other suites end the demo's first class), added through deep linking.
      await page.goto(`${demoUrl}/platform/launch?role=instructor&user=e2e-prejoin-teacher&message=deeplink`);
      await page.getByLabel('Title (required)').fill('Pre-join class');
      await page.getByRole('button', { name: 'Add to course' }).click();
      await page.getByRole('heading', { name: 'Activity added: Pre-join class' }).waitFor();
      await page.goto(demoUrl);
      const activity = await page
        .getByLabel('Activity to launch')
        .locator('option', { hasText: 'Pre-join class' })
        .first()
        .getAttribute('value');
      assert.ok(activity);

      await page.goto(`${demoUrl}/platform/launch?role=student&user=e2e-prejoin-1&activity=${activity}`);
      await page.waitForURL((url) => url.pathname === '/launch');
      await page.getByRole('button', { name: 'Join the class' }).waitFor();

      await previewPlaying(page);
      const width = (await page.evaluate(`document.querySelector('video.preview-video').videoWidth`)) as number;
      assert.ok(width > 0, `preview videoWidth ${width}`);
      await meterMoves(page);

      assert.ok((await optionCount(page, 'Camera')) >= 1, 'the camera picker lists the fake camera');
      assert.ok((await optionCount(page, 'Microphone')) >= 1, 'the microphone picker lists the fake microphone');
      const cameraLabels = await page.getByLabel('Camera', { exact: true }).locator('option').allInnerTexts();
      assert.ok(
        cameraLabels.some((l) => /fake/i.test(l)),
        `fake camera listed: ${cameraLabels.join(', ')}`,
      );
      assert.equal(await page.getByRole('checkbox', { name: 'Turn my microphone on' }).isChecked(), true);
      assert.equal(await page.getByRole('checkbox', { name: 'Turn my camera on' }).isChecked(), true);
      await saveScreenshot(page, 'prejoin');

      // Another microphone from the picker: the preview reopens on it and the meter still moves.
      const micOptions = await page.getByLabel('Microphone', { exact: true }).locator('option').all();
      if (micOptions.length > 1) {
        const other = (await micOptions[micOptions.length - 1]?.getAttribute('value')) ?? '';
        await page.getByLabel('Microphone', { exact: true }).selectOption(other);
        await page.waitForFunction(
          `document.querySelector('#device-microphone')?.value === ${JSON.stringify(other)} &&
            !!document.querySelector('meter#mic-level')`,
        );
        await meterMoves(page);
      }

      // Turning the camera off stops the preview.
      await page.getByRole('checkbox', { name: 'Turn my camera on' }).uncheck();
      await page.locator('.preview[data-state="off"]').waitFor();
      await page.getByRole('checkbox', { name: 'Turn my camera on' }).check();
      await previewPlaying(page);

      // Joining publishes from the chosen devices; the preview is gone with the pre-join page.
      await page.getByRole('button', { name: 'Join the class' }).click();
      await page.locator('.tile[data-local] video').waitFor();
      assert.equal(await page.locator('video.preview-video').count(), 0);
    });
  });

  it('in a course frame without camera and microphone: explains why and continues in a new window', async () => {
    const context = await newContext();
    const page = await context.newPage();
    // A course page whose iframe may not use the camera or microphone. A real LMS is on another origin and
    // simply leaves out allow="camera; microphone"; this page is same-origin, so it must say 'none'.
    const coursePage = `${demoUrl}/e2e-course-without-allow`;
    const launch = `${demoUrl}/platform/launch?role=student&user=e2e-prejoin-2`;
    await page.route(coursePage, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>Course</title><iframe name="tool-frame" title="Live class tool" allow="camera 'none'; microphone 'none'" src="${launch}" style="width:1000px;height:1200px"></iframe>`,
      }),
    );
    await withFailureShot(page, 'prejoin-blocked', async () => {
      await page.goto(coursePage);
      const tool = page.frameLocator('iframe[name="tool-frame"]');
      await tool.getByRole('button', { name: 'Join the class' }).waitFor();
      const problem = tool.getByRole('alert').filter({ hasText: 'does not let the class use your' });
      await problem.waitFor();
      assert.match(
        await problem.innerText(),
        /This course page does not let the class use your camera and microphone\./,
      );
      assert.equal(await tool.locator('video.preview-video').count(), 0);
      const name = await tool.locator('.facts dd').last().innerText();
      assert.match(name, /e2e-prejoin-2/);
      await saveScreenshot(page, 'prejoin-blocked');

      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        tool.getByRole('button', { name: 'Open in new window' }).click(),
      ]);
      await popup.waitForURL((url) => url.pathname === '/launch');
      await popup.getByRole('button', { name: 'Join the class' }).waitFor();
      // The same launch (the same user), with the token already dropped from the address.
      assert.equal(await popup.locator('.facts dd').last().innerText(), name);
      assert.equal(new URL(popup.url()).hash, '');
      // A top-level window may use the devices: the preview plays there.
      await previewPlaying(popup);
      await tool.getByText('The class is open in a new window.').waitFor();
      await saveScreenshot(popup, 'prejoin-new-window');
    });
  });

  it('when the browser blocks the devices: says so, and joins to listen and watch', async () => {
    denying = await launchBrowser({ args: ['--use-fake-ui-for-media-stream=deny'] });
    const context = await denying.newContext({ locale: 'en-US', viewport: { width: 1100, height: 1400 } });
    contexts.push(context);
    const page = await context.newPage();
    await withFailureShot(page, 'prejoin-denied', async () => {
      await page.goto(`${demoUrl}/platform/launch?role=instructor&user=e2e-prejoin-3&message=deeplink`);
      await page.getByLabel('Title (required)').fill('Blocked class');
      await page.getByRole('button', { name: 'Add to course' }).click();
      await page.getByRole('heading', { name: 'Activity added: Blocked class' }).waitFor();
      await page.goto(demoUrl);
      const activity = await page
        .getByLabel('Activity to launch')
        .locator('option', { hasText: 'Blocked class' })
        .first()
        .getAttribute('value');
      assert.ok(activity);
      await page.goto(`${demoUrl}/platform/launch?role=instructor&user=e2e-prejoin-3&activity=${activity}`);
      await page.getByRole('button', { name: 'Join the class' }).waitFor();
      await page.getByRole('alert').getByText('Your browser blocked the camera and microphone.').waitFor();
      // A top-level window cannot do better than this one: no new-window button here.
      assert.equal(await page.getByRole('button', { name: 'Open in new window' }).count(), 0);
      await saveScreenshot(page, 'prejoin-denied');

      await page.getByRole('button', { name: 'Join the class' }).click();
      await page.locator('.tile[data-local]').waitFor();
      assert.equal(await page.locator('.tile[data-local] video').count(), 0);
      assert.equal(await page.getByText('could not be started').count(), 0);
    });
  });
});
