import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoSeriousViolations, type KnownIssue } from '../support/axe.js';
import { startBrowserTest, saveScreenshot, screenshotDir } from '../support/browser.js';
import { type TestEnvironment } from '../support/test-tool.js';

type Scheme = 'light' | 'dark';

/**
 * axe-core over every page a user meets, in both colour schemes: no serious or critical violations.
 * Pages are opened top-level through the demo LMS's launch URL (the real OIDC round trip to /launch),
 * as in room.test.ts. Screenshots land in test-results/a11y-*.png.
 */
describe('accessibility (axe-core, headless Chromium)', function () {
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

  async function newPage(colorScheme: Scheme): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', colorScheme, viewport: { width: 1024, height: 640 } });
    contexts.push(context);
    return context.newPage();
  }

  /** A fresh profile launched as `role`/`user` from the demo LMS, landed on /launch. */
  async function launch(colorScheme: Scheme, query: Record<string, string>): Promise<Page> {
    const page = await newPage(colorScheme);
    await page.goto(`${env.tool.demoUrl}/platform/launch?${new URLSearchParams(query)}`);
    await page.waitForURL((url) => url.pathname === '/launch');
    return page;
  }

  async function check(page: Page, name: string, known: readonly KnownIssue[] = []): Promise<void> {
    await saveScreenshot(page, `a11y-${name}`);
    await assertNoSeriousViolations(page, name, known);
  }

  /** The light theme's viewport (1024x640) as test-results/docs-<name>.png, the source of docs/screenshots/. */
  async function docsShot(page: Page, scheme: Scheme, name: string): Promise<void> {
    if (scheme !== 'light') return;
    mkdirSync(screenshotDir(), { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir(), `docs-${name}.png`) });
  }

  for (const scheme of ['light', 'dark'] as const) {
    describe(`${scheme} theme`, () => {
      it('the demo course page', async () => {
        const page = await newPage(scheme);
        await page.goto(env.tool.demoUrl ?? '');
        await page.getByRole('button', { name: 'Join as student', exact: true }).waitFor();
        await check(page, `demo-course-${scheme}`);
      });

      it('the deep linking form, with a validation error shown', async () => {
        const page = await launch(scheme, { role: 'instructor', user: `a11y-dl-${scheme}`, message: 'deeplink' });
        await page.getByRole('heading', { level: 1, name: 'Add a live class' }).waitFor();
        await check(page, `deep-linking-${scheme}`);
        // Longer than the server keeps recordings: told next to the field, which reads as invalid.
        const retention = page.getByLabel('Delete recordings after (days)');
        await retention.fill('99999');
        await page.getByRole('button', { name: 'Add to course' }).click();
        await page.getByText('Enter a title.').waitFor();
        await page.getByText(/^Enter a number from 1 to \d+\.$/).waitFor();
        assert.equal(await retention.getAttribute('aria-invalid'), 'true');
        await check(page, `deep-linking-errors-${scheme}`);
      });

      it('the pre-join page (student)', async () => {
        const page = await launch(scheme, { role: 'student', user: `a11y-student-${scheme}` });
        await page.getByRole('button', { name: 'Join the class' }).waitFor();
        await check(page, `pre-join-${scheme}`);
        await docsShot(page, scheme, 'pre-join');
      });

      it('the LTI launch error page (unknown state)', async () => {
        const page = await newPage(scheme);
        // A launch form post whose state the tool never issued, as a stale or forged launch would send.
        await page.setContent(
          `<form method="post" action="${env.tool.url}/lti/launch">` +
            '<input name="state" value="never-issued"><input name="id_token" value="x"></form>',
        );
        await Promise.all([page.waitForURL(`${env.tool.url}/lti/launch`), page.evaluate('document.forms[0].submit()')]);
        await page.getByText('LTI_STATE_UNKNOWN').first().waitFor();
        await check(page, `launch-error-${scheme}`);
        await docsShot(page, scheme, 'launch-error');
      });

      it('the room (student) and the room with the leader panel (instructor)', async () => {
        const teacher = await launch(scheme, { role: 'instructor', user: `a11y-teacher-${scheme}` });
        const student = await launch(scheme, { role: 'student', user: `a11y-student-room-${scheme}` });
        await teacher.getByRole('button', { name: 'Join the class' }).click();
        await teacher.locator('.leader-panel').waitFor();
        await student.getByRole('button', { name: 'Join the class' }).click();
        for (const page of [teacher, student]) {
          await page.locator('.tile[data-local]').waitFor();
          await page.locator('.tile:not([data-local])').waitFor();
          await page.locator('.banner p').waitFor({ state: 'detached' });
        }
        await student.getByRole('button', { name: 'Raise hand' }).click();
        await teacher.getByRole('button', { name: `Lower hand of Demo a11y-student-room-${scheme}` }).waitFor();
        await teacher.getByRole('button', { name: `Actions for Demo a11y-student-room-${scheme}` }).click();
        await teacher.getByRole('menuitem', { name: `Mute mic of Demo a11y-student-room-${scheme}` }).click();
        await student.locator('[data-control="microphone"][data-blocked="true"]').waitFor();
        await check(student, `room-student-${scheme}`);
        await check(teacher, `room-leader-${scheme}`);
        await docsShot(student, scheme, 'room-grid');
        await docsShot(teacher, scheme, 'leader-panel');

        await teacher.getByRole('button', { name: 'End class for everyone' }).click();
        await teacher.getByRole('dialog', { name: 'End the class for everyone?' }).waitFor();
        await check(teacher, `room-end-dialog-${scheme}`);
        await teacher.getByRole('button', { name: 'End the class', exact: true }).click();
        await student.getByRole('heading', { level: 1, name: 'The class has ended' }).waitFor();
        await check(student, `room-ended-${scheme}`);
      });
    });
  }
});
