import assert from 'node:assert/strict';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { FIRST_ACTIVITY } from '../../src/dev/demo-state.js';
import { assertNoSeriousViolations } from '../support/axe.js';
import { startBrowserTest, saveScreenshot } from '../support/browser.js';
import { launchThroughDemo, LtiBrowser } from '../support/lti-launch.js';
import { type TestEnvironment } from '../support/test-tool.js';

/**
 * The launcher inside the demo LMS's iframe, through the real OIDC round trip: the course page posts the
 * login, the tool redirects to the demo's auth endpoint, the id_token comes back to /lti/launch, and the
 * browser lands on /launch#token=... in the frame.
 */
describe('launcher in the demo LMS (headless Chromium)', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let browser: Browser;
  let demoUrl: string;
  const contexts: BrowserContext[] = [];

  before(async () => {
    [env, browser] = await startBrowserTest();
    demoUrl = env.tool.demoUrl as string;
    // Same origin for the course page and the tool, so the OIDC state cookie survives inside the iframe.
    assert.equal(new URL(demoUrl).origin, new URL(env.tool.url).origin);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  after(() => browser?.close());

  /** A fresh profile in `timezoneId`, tall enough for the whole form to fit in the 70vh iframe. */
  async function openCourse(timezoneId = 'UTC'): Promise<{ page: Page; tool: FrameLocator }> {
    const context = await browser.newContext({ timezoneId, locale: 'en-US', viewport: { width: 1100, height: 2000 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(demoUrl);
    return { page, tool: page.frameLocator('iframe[name="tool-frame"]') };
  }

  /** Runs `body`, saving a screenshot of the page if it throws. */
  async function withFailureShot(page: Page, name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      await saveScreenshot(page, `${name}-failure`).catch(() => undefined);
      throw err;
    }
  }

  const roles = [
    { button: 'Join as student', role: 'a participant' },
    { button: 'Join as instructor', role: 'an instructor' },
    { button: 'Join as observer', role: 'an observer' },
  ];
  for (const { button, role } of roles) {
    it(`"${button}" opens the pre-join page as ${role}`, async () => {
      const { page, tool } = await openCourse();
      await withFailureShot(page, `launcher-prejoin-${role}`, async () => {
        await page.getByRole('button', { name: button, exact: true }).click();
        await tool.getByRole('heading', { level: 1, name: FIRST_ACTIVITY.title }).waitFor();
        assert.equal(await tool.getByText('You are joining as').innerText(), `You are joining as ${role}.`);
        const join = tool.getByRole('button', { name: 'Join the class' });
        assert.equal(await join.isEnabled(), true);
        // The token is read and dropped from the address at once.
        const frameUrl = new URL(page.frame({ name: 'tool-frame' })?.url() ?? '');
        assert.equal(frameUrl.pathname, '/launch');
        assert.equal(frameUrl.hash, '');
        if (role === 'a participant') await saveScreenshot(page, 'launcher-prejoin');
      });
    });
  }

  it('deep linking: the form adds "E2E class" with a 15-point grade, and a student can open it', async () => {
    const { page, tool } = await openCourse('Europe/Paris');
    await withFailureShot(page, 'launcher-deep-linking', async () => {
      await page.getByRole('button', { name: 'Add activity (deep linking)' }).click();
      await tool.getByRole('heading', { level: 1, name: 'Add a live class' }).waitFor();
      assert.match(await tool.locator('#schedule-hint').innerText(), /Europe\/Paris/);

      // Client-side checks first: an empty title is refused next to the field, which gets focus.
      await tool.getByRole('button', { name: 'Add to course' }).click();
      const title = tool.getByLabel('Title (required)');
      await tool.getByText('Enter a title.').waitFor();
      assert.equal(await title.getAttribute('aria-invalid'), 'true');
      assert.equal(await title.evaluate((el) => el.ownerDocument.activeElement === el), true);
      assert.match(await tool.getByRole('status').innerText(), /1 field needs attention/);

      await title.fill('E2E class');
      // Editing a field clears its message until the next submit.
      assert.equal(await tool.getByText('Enter a title.').count(), 0);
      assert.equal(await title.getAttribute('aria-invalid'), null);
      assert.equal(await tool.getByRole('status').innerText(), '');
      await tool.getByLabel('Description').fill('Forces and motion, live.');
      await tool.getByLabel('Start date').fill('2030-05-01');
      await tool.getByLabel(/^Start time/).fill('14:00');
      await tool.getByLabel('Duration in minutes').fill('90');
      await tool.getByLabel('Instructors only', { exact: false }).check();
      await tool.getByLabel('Send an attendance grade to the gradebook').check();
      await tool.getByLabel('Maximum points').fill('15');
      await tool.getByLabel('How attendance becomes points').selectOption('threshold');
      await tool.getByLabel('Share of the class to attend, in percent').fill('80');
      // 14:00 in Paris in May is 12:00 UTC; the preview confirms the reading.
      await tool.getByText(/^Starts /).waitFor();
      await tool.locator('h1').scrollIntoViewIfNeeded();
      await saveScreenshot(page, 'launcher-deep-linking-form');

      await tool.getByRole('button', { name: 'Add to course' }).click();
      await tool.getByRole('heading', { name: 'Activity added: E2E class' }).waitFor();
      assert.equal(
        new URL(page.frame({ name: 'tool-frame' })?.url() ?? '').pathname,
        '/demo/platform/deep-link-return',
      );

      await tool.getByRole('link', { name: 'Back to the course' }).click();
      await page.waitForURL(demoUrl);
      assert.ok((await page.locator('#activities').innerText()).includes('E2E class'));

      const gradebook = await page.request.get(`${demoUrl}/gradebook`);
      assert.match(await gradebook.text(), /E2E class — attendance \(max 15\)/);
    });

    // A student elsewhere sees the same instant in their own zone: 12:00 UTC is 08:00 in New York.
    const student = await openCourse('America/New_York');
    await withFailureShot(student.page, 'launcher-deep-linked-prejoin', async () => {
      await student.page.getByLabel('Activity to launch').selectOption({ label: 'E2E class' });
      await student.page.getByRole('button', { name: 'Join as student', exact: true }).click();
      await student.tool.getByRole('heading', { level: 1, name: 'E2E class' }).waitFor();
      await student.tool.getByText('Forces and motion, live.').waitFor();
      const when = await student.tool.locator('time').innerText();
      assert.match(when, /May 1, 2030/);
      assert.match(when, /8:00/);
      assert.match(when, /9:30/);
      assert.equal(await student.tool.locator('time').getAttribute('datetime'), '2030-05-01T12:00:00.000Z');
      await student.tool.getByText('You are joining as a participant.').waitFor();
      await saveScreenshot(student.page, 'launcher-deep-linked-prejoin');
    });
  });

  it('deep linking: server field errors appear next to their fields, and a 401 ends the session', async () => {
    const { page, tool } = await openCourse();
    await withFailureShot(page, 'launcher-deep-linking-errors', async () => {
      const answers = [
        {
          status: 400,
          body: {
            error: {
              code: 'VALIDATION_FAILED',
              message: 'The request has invalid or missing fields.',
              details: {
                fields: [
                  { path: 'grading.maxPoints', message: 'Too big: expected number to be <=10000' },
                  { path: 'title', message: 'Title taken' },
                ],
              },
            },
          },
        },
        { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Your session has ended.' } } },
      ];
      await page.context().route('**/api/deep-linking', (route) => {
        const answer = answers.shift() ?? { status: 500, body: {} };
        return route.fulfill({ status: answer.status, json: answer.body });
      });
      await page.getByRole('button', { name: 'Add activity (deep linking)' }).click();
      await tool.getByLabel('Title (required)').fill('Refused class');
      await tool.getByLabel('Send an attendance grade to the gradebook').check();
      await tool.getByRole('button', { name: 'Add to course' }).click();

      const title = tool.getByLabel('Title (required)');
      await tool.getByText('Title taken').waitFor();
      await tool.getByText('Too big: expected number to be <=10000').waitFor();
      assert.equal(await tool.getByLabel('Maximum points').getAttribute('aria-invalid'), 'true');
      assert.equal(await title.getAttribute('aria-describedby'), 'field-title-error');
      // The first field in form order gets focus, whatever order the server listed them in.
      assert.equal(await title.evaluate((el) => el.ownerDocument.activeElement === el), true);
      assert.match(await tool.getByRole('status').innerText(), /2 fields need attention/);

      await tool.getByRole('button', { name: 'Add to course' }).click();
      await tool.getByRole('heading', { level: 1, name: 'Your session has ended' }).waitFor();
    });
  });

  it('a plain link: a student before the teacher is told to wait, and the class opens once the teacher has opened it', async () => {
    const { page, tool } = await openCourse();
    await withFailureShot(page, 'launcher-not-set-up', async () => {
      await page.getByLabel('Plain link to the tool (no deep linking)').fill('E2E plain link');
      await page.getByRole('button', { name: 'Add plain link' }).click();
      const linkId = await page.locator('#activity option', { hasText: 'E2E plain link' }).getAttribute('value');
      assert.ok(linkId);
      await page.locator('#activity').selectOption(linkId);
      await page.getByRole('button', { name: 'Join as student', exact: true }).click();
      await tool.getByRole('heading', { level: 1, name: 'Your teacher has not set this class up yet' }).waitFor();
      const frame = page.frame({ name: 'tool-frame' });
      assert.ok(frame);
      await assertNoSeriousViolations(frame, 'not set up yet');
      await saveScreenshot(page, 'launcher-not-set-up');

      const teacher = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'instructor', activity: linkId });
      assert.equal(teacher.status, 303, teacher.body);
      // The student's page checks again by itself (every 10 s) and opens the class's pre-join page.
      await tool.getByRole('heading', { level: 1, name: 'E2E plain link' }).waitFor({ timeout: 25_000 });
      assert.equal(await tool.getByRole('button', { name: 'Join the class' }).isEnabled(), true);
    });
  });

  it('without a valid token, /launch says the session has ended and drops the fragment', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${env.tool.url}/launch#token=not-a-real-token`);
    await page.getByRole('heading', { level: 1, name: 'Your session has ended' }).waitFor();
    await page.getByText('Open the activity again from your course.').waitFor();
    assert.equal(new URL(page.url()).hash, '');
  });
});
