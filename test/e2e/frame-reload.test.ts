import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { inPage, saveScreenshot, startBrowserTest } from '../support/browser.js';
import { openSeat, type Seat } from '../support/room-pages.js';
import type { TestEnvironment } from '../support/test-tool.js';

/** A reload of the LMS frame keeps the launch (a frame-bound reload token), where it used to end it. */
describe('reloading the LMS frame (headless Chromium, the demo LMS)', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let browser: Browser;
  const seats: Seat[] = [];
  before(async () => {
    [env, browser] = await startBrowserTest();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await Promise.all(seats.map((s) => saveScreenshot(s.page, `frame-reload-failure-${s.name}`).catch(() => {})));
    }
    await Promise.all(seats.splice(0).map((s) => s.context.close()));
  });
  after(() => browser?.close());

  /** The frame holds a reload token once the launcher asked for one. */
  const reloadTokenStored = (s: Seat) =>
    s.frame.waitForFunction(inPage(`!!sessionStorage.getItem('liveclass.reload')`), undefined, { timeout: 15_000 });

  it('a reload of the frame stays in the launch, twice; another tab does not get it', async () => {
    const s = await openSeat(browser, env.tool.demoUrl ?? '', 'student', 'reload-e2e-student');
    seats.push(s);
    const name = 'Demo reload-e2e-student';
    await s.tool.getByText(name).first().waitFor();

    for (const round of [1, 2]) {
      await reloadTokenStored(s);
      const before = (await s.frame.evaluate(`sessionStorage.getItem('liveclass.reload')`)) as string;
      await s.frame.evaluate('location.reload()');
      await s.tool.getByRole('button', { name: 'Join the class' }).waitFor();
      await s.tool.getByText(name).first().waitFor();
      assert.equal(await s.tool.getByRole('heading', { name: 'Your session has ended' }).count(), 0, `round ${round}`);
      assert.equal(new URL(s.frame.url()).hash, '', 'no token in the address');
      // A new reload token replaces the used one (single use).
      await reloadTokenStored(s);
      const after = (await s.frame.evaluate(`sessionStorage.getItem('liveclass.reload')`)) as string;
      assert.notEqual(after, before, `round ${round}: a fresh reload token`);
    }
    await saveScreenshot(s.page, 'frame-reload-kept');

    // The tool's address in another tab of the same browser: no reload token there, so no launch.
    const other = await s.context.newPage();
    await other.goto(new URL('/launch', env.tool.url).href);
    await other.getByRole('heading', { level: 1, name: 'Your session has ended' }).waitFor();
    await other.close();
  });

  it('the exchange works once: a reload token copied elsewhere after its use opens nothing', async () => {
    const s = await openSeat(browser, env.tool.demoUrl ?? '', 'student', 'reload-e2e-copy');
    seats.push(s);
    await reloadTokenStored(s);
    const stolen = (await s.frame.evaluate(`sessionStorage.getItem('liveclass.reload')`)) as string;
    await s.frame.evaluate('location.reload()');
    await s.tool.getByRole('button', { name: 'Join the class' }).waitFor();

    // The used token, put into a fresh tab's storage: refused, the session-ended page.
    const other = await s.context.newPage();
    await other.goto(new URL('/', env.tool.url).href);
    await other.evaluate(`sessionStorage.setItem('liveclass.reload', ${JSON.stringify(stolen)})`);
    await other.goto(new URL('/launch', env.tool.url).href);
    await other.getByRole('heading', { level: 1, name: 'Your session has ended' }).waitFor();
    await other.close();
  });
});
