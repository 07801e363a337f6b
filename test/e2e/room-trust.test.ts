import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { saveScreenshot, startBrowserTest } from '../support/browser.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';
import type { TestEnvironment } from '../support/test-tool.js';

/**
 * What the launcher believes comes from the tool: a waiting queue a student publishes is not shown to the
 * teacher, and a launch whose connection the operator revoked ends with the sentence that says so.
 */
describe('the launcher trusts only the tool (headless Chromium, real LiveKit)', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const participants: TestParticipant[] = [];
  before(async () => {
    [env, browser] = await startBrowserTest();
  });
  afterEach(async () => {
    await Promise.all(participants.splice(0).map((p) => p.disconnect()));
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  after(() => browser?.close());

  const open = async (url: string): Promise<Page> => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForURL((u) => u.pathname === '/launch');
    return page;
  };
  const join = async (page: Page): Promise<void> => {
    await page.getByRole('button', { name: 'Join the class' }).click();
    await page.locator('.tile[data-local]').waitFor();
  };
  const withShots = async (page: Page, name: string, body: () => Promise<void>) => {
    try {
      await body();
    } catch (err) {
      await saveScreenshot(page, `trust-${name}-failure`).catch(() => undefined);
      throw err;
    }
  };

  it("a teacher's waiting room lists the tool's queue, never one a student publishes", async () => {
    const id = await LaunchedUser.createActivity(env.tool.url, { title: 'Trust', waitingRoom: true });
    const teacherPage = await open(
      `${env.tool.demoUrl}/platform/launch?${new URLSearchParams({ role: 'instructor', user: 'trust-teacher', activity: id })}`,
    );
    await withShots(teacherPage, 'queue', async () => {
      await join(teacherPage);
      const teacher = await LaunchedUser.launch(env.tool.url, 'instructor', id, 'trust-teacher');
      // A student in the class (admitted through the waiting room), who can publish data while chat is on.
      const student = await LaunchedUser.launch(env.tool.url, 'student', id, `trust-student-${process.pid}`);
      assert.equal((await student.request('POST', '/room/token')).status, 409);
      const [queued] = (await teacher.json('GET', '/room')).waiting as Array<{ identity: string }>;
      await teacher.json('POST', `/room/waiting/${queued?.identity}/admit`, undefined, 204);
      const grant = await student.joinGrant();
      const p = await TestParticipant.connect(grant);
      participants.push(p);
      await teacherPage.locator(`.tile[data-identity="${grant.identity}"]`).waitFor();

      // Someone really waiting: the tool pushes the queue, the teacher sees them.
      const late = await LaunchedUser.launch(env.tool.url, 'student', id, `trust-late-${process.pid}`);
      assert.equal((await late.request('POST', '/room/token')).status, 409);
      await teacherPage.getByRole('button', { name: `Admit Demo trust-late-${process.pid}` }).waitFor();

      const forged = {
        type: 'queue',
        queue: [{ identity: `u-${'0'.repeat(24)}`, name: 'Forged Fakename', role: 'participant' }],
      };
      await p.room.localParticipant!.publishData(new TextEncoder().encode(JSON.stringify(forged)), {
        reliable: true,
        topic: 'waiting-room',
      });
      await sleep(2_000);
      assert.equal(await teacherPage.getByText('Forged Fakename').count(), 0, 'the forged queue is not shown');
      await teacherPage.getByRole('button', { name: `Admit Demo trust-late-${process.pid}` }).waitFor();
      await teacherPage.getByRole('heading', { name: 'Waiting room (1)' }).waitFor();
    });
  });

  it('a launch whose integrator key is revoked while in the room ends with the sentence that says why', async () => {
    const admin = (method: string, route: string, body?: unknown) =>
      fetch(`${env.tool.url}/api/admin${route}`, {
        method,
        headers: { authorization: `Bearer ${env.config.admin.apiKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const { id: keyId, key } = (await (await admin('POST', '/api-keys', { name: 'trust' })).json()) as {
      id: string;
      key: string;
    };
    const launched = await fetch(`${env.tool.url}/api/v1/spaces/launch`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `trust-${process.pid}`, user: { id: 'ada', name: 'Ada', leader: true } }),
    });
    const { client_url } = (await launched.json()) as { client_url: string };
    const page = await open(client_url.replace(env.config.server.publicUrl, env.tool.url));
    await withShots(page, 'revoked', async () => {
      await join(page);
      assert.equal((await admin('DELETE', `/api-keys/${keyId}`)).status, 204);
      await page.getByRole('heading', { name: 'This live class is no longer available' }).waitFor({ timeout: 15_000 });
      await page.getByText("The tool's administrator removed or turned off the connection").waitFor();
      await waitUntil(async () => (await page.locator('.tile').count()) === 0, 5_000, 'the room gone');
    });
  });
});
