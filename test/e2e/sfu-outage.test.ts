import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { killLiveKit, restartLiveKit } from '../../src/dev/stack/livekit.js';
import { clientBuildDir } from '../../src/paths.js';
import { formatViolations, seriousViolations } from '../support/axe.js';
import { launchBrowser, saveScreenshot, screenshotDir } from '../support/browser.js';
import { startDedicatedEnvironment, type DedicatedEnvironment } from '../support/dedicated-environment.js';
import { waitUntil } from '../support/room-client.js';
import {
  assertEveryoneReceivesEveryone,
  joinClass,
  openSeat,
  RECORD_ROOM_STATE,
  roomStates,
  waitForFullGrid,
  writeTimeline,
  type Seat,
} from '../support/room-pages.js';

/**
 * Failures in plain words, and recovery without a click: the real livekit-server of a stack of this suite's
 * own (stopping it would disturb every other suite) is SIGKILLed and started again on the same ports.
 */
describe('SFU outages and waiting for the teacher (headless Chromium, real LiveKit, own stack)', function () {
  this.timeout(300_000);
  let browser: Browser;
  let env: DedicatedEnvironment;
  const seats: Seat[] = [];
  /** Set while this suite holds the SFU down; after() brings it back whatever happened. */
  let sfuDown = false;

  before(async () => {
    if (!existsSync(path.join(clientBuildDir(), 'index.html'))) {
      throw new Error(`No client build in ${clientBuildDir()}: run \`npm run build:client\` before the e2e tests.`);
    }
    browser = await launchBrowser();
    env = await startDedicatedEnvironment();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const title = this.currentTest.title.slice(0, 40).replace(/[^\w.-]+/g, '-');
      await Promise.all(seats.map((s) => saveScreenshot(s.page, `outage-failure-${title}-${s.name}`).catch(() => {})));
      const logs = [env.tool.process, env.stack.livekitServer?.process].map((p) => `--- ${p?.name}\n${p?.logTail()}`);
      writeFileSync(path.join(screenshotDir(), `outage-failure-${title}.log`), logs.join('\n'));
    }
    if (sfuDown) await startSfu();
    await Promise.all(seats.splice(0).map((s) => s.context.close()));
  });
  after(async () => {
    await browser?.close();
    await env?.stop();
  });

  async function seat(role: 'instructor' | 'student', user: string, activity?: string): Promise<Seat> {
    const s = await openSeat(browser, env.tool.demoUrl, role, user, activity);
    seats.push(s);
    return s;
  }

  /** A class students may not enter before a teacher, added through deep linking; answers its activity id. */
  async function addClassWithoutEarlyJoin(): Promise<string> {
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      const demoUrl = env.tool.demoUrl;
      await page.goto(`${demoUrl}/platform/launch?role=instructor&user=outage-author&message=deeplink`);
      await page.getByLabel('Title (required)').fill('Teacher-first class');
      await page.getByLabel('Participants may join before the instructor').uncheck();
      await page.getByRole('button', { name: 'Add to course' }).click();
      await page.getByRole('heading', { name: 'Activity added: Teacher-first class' }).waitFor();
      await page.goto(demoUrl);
      const option = page.getByLabel('Activity to launch').locator('option', { hasText: 'Teacher-first class' });
      const activity = await option.first().getAttribute('value');
      assert.ok(activity, 'the new class is on the course page');
      return activity;
    } finally {
      await context.close();
    }
  }

  /** No serious axe violation in the tool's frame, in light and in dark. */
  async function assertAccessible(s: Seat, state: string): Promise<void> {
    for (const colorScheme of ['light', 'dark'] as const) {
      await s.page.emulateMedia({ colorScheme });
      const violations = await seriousViolations(s.frame);
      assert.deepEqual(violations, [], `${state}, ${colorScheme}:\n${formatViolations(violations)}`);
    }
    await s.page.emulateMedia({ colorScheme: 'light' });
  }

  /** SIGKILL, as a crash: no leave messages, the sockets simply close. */
  async function stopSfu(): Promise<number> {
    const running = env.stack.livekitServer;
    if (!running) throw new Error('the dedicated environment did not start livekit-server itself');
    sfuDown = true;
    await killLiveKit(running);
    return Date.now();
  }

  /** The same config, ports and keys; the SFU comes back empty (no rooms, no participants). */
  async function startSfu(): Promise<number> {
    const stopped = env.stack.livekitServer;
    if (!stopped) throw new Error('no livekit-server to restart');
    // stack.stop() reads this field, so the restarted server is the one stopped at the end.
    env.stack.livekitServer = await restartLiveKit(stopped);
    sfuDown = false;
    return Date.now();
  }

  it('pre-join: a server fault says so and keeps trying; a student before the teacher waits and is let in by itself', async () => {
    const activity = await addClassWithoutEarlyJoin();
    const student = await seat('student', 'outage-early-student', activity);
    const retrying = student.tool.getByTestId('join-retrying');

    // The SFU is down: the tool cannot answer for the room, and the page says it is the server, not the user.
    await stopSfu();
    await student.tool.getByRole('button', { name: 'Join the class' }).click();
    await student.tool.getByText('The class server is not answering; we keep trying.').waitFor();
    await retrying.waitFor();
    assert.match(await retrying.innerText(), /We keep trying\. Next try in \d+ s\.|Trying again now/);
    assert.equal(await student.tool.getByRole('button', { name: 'Try again' }).count(), 0, 'no Try again button');
    assert.equal(await student.tool.getByRole('button', { name: 'Join the class' }).count(), 0);
    const fault = (await student.frame.evaluate(`(() => {
      const el = document.querySelector('.join-status');
      return {
        code: el.getAttribute('data-code'),
        text: el.textContent ?? '',
        focused: el.contains(document.activeElement),
      };
    })()`)) as { code: string | null; text: string; focused: boolean };
    assert.equal(fault.code, 'LIVEKIT_UNAVAILABLE');
    assert.doesNotMatch(fault.text, /livekit|media server/i);
    assert.ok(fault.focused, 'the answer takes the focus, so it is read out and scrolled into view');
    await saveScreenshot(student.page, 'outage-prejoin-server-down');
    await assertAccessible(student, 'server down');

    // The SFU is back, the teacher is not there yet: the page now says it waits for the teacher, by itself.
    await startSfu();
    await student.tool.getByText('Waiting for your teacher').waitFor({ timeout: 30_000 });
    await student.tool.getByText('Stay on this page: it lets you in by itself').waitFor();
    assert.equal(await student.tool.locator('.join-status').getAttribute('data-code'), 'ROOM_WAITING_FOR_INSTRUCTOR');
    assert.equal(await student.tool.getByRole('button', { name: 'Try again' }).count(), 0, 'no Try again button');
    await retrying.waitFor();
    const box = await student.tool.locator('.join-status').boundingBox();
    const frame = await student.page.locator('iframe[name="tool-frame"]').boundingBox();
    assert.ok(box && frame && box.y < frame.y + frame.height, 'the message is inside the frame, not below it');
    await saveScreenshot(student.page, 'outage-prejoin-waiting-for-teacher');
    await assertAccessible(student, 'waiting for the teacher');

    // The teacher joins: the student's page joins by itself, without a click.
    const teacher = await seat('instructor', 'outage-late-teacher', activity);
    await joinClass(teacher);
    const own = student.tool.locator('.tile[data-identity][data-local="true"]');
    await own.locator('video').waitFor({ timeout: 30_000 });
    student.identity = (await own.getAttribute('data-identity')) ?? '';
    await waitForFullGrid([teacher, student]);
  });

  /** Longer than livekit-client's own reconnection (~44 s), so our rejoin with a fresh token has to do it. */
  const DOWN_MS = 60_000;

  it('a 60 s SFU outage in class: "Reconnecting… we keep trying", then both rejoin by themselves with fresh tokens and media', async () => {
    const teacher = await seat('instructor', 'outage-teacher');
    const student = await seat('student', 'outage-student');
    const both = [teacher, student];
    await joinClass(teacher);
    await joinClass(student);
    await waitForFullGrid(both);
    await assertEveryoneReceivesEveryone(both);
    await Promise.all(both.map((s) => s.frame.evaluate(RECORD_ROOM_STATE)));

    const killedAt = await stopSfu();
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
    const readyAt = await startSfu();
    let recoveredAt: number | undefined;
    try {
      for (const s of both) {
        await waitUntil(
          async () => (await s.tool.locator('main.room').getAttribute('data-connection')) === 'connected',
          60_000,
          `${s.name} connected again`,
          { retryErrors: true },
        );
      }
      recoveredAt = Date.now();
      await waitForFullGrid(both);
      await assertEveryoneReceivesEveryone(both);
    } finally {
      const states = await Promise.all(both.map((s) => roomStates(s).catch(() => [])));
      writeTimeline('outage-60s', {
        downMs: DOWN_MS,
        restartedAfterMs: readyAt - killedAt,
        recoveredAfterMs: recoveredAt && recoveredAt - killedAt,
        seats: both.map((s, i) => ({
          name: s.name,
          states: states[i]?.map(({ at, ...t }) => ({ afterKillMs: at - killedAt, ...t })),
          tokens: s.tokens
            .filter((t) => t.at >= killedAt)
            .map(({ at, ...t }) => ({ afterKillMs: at - killedAt, ...t })),
        })),
      });
    }

    for (const s of both) {
      const seen = await roomStates(s);
      const shown = seen.map((t) => `${t.at - killedAt} ms: ${t.connection} "${t.banner}" end=${t.end}`).join('\n');
      assert.ok(
        seen.some((t) => t.banner.includes('Reconnecting… we keep trying.') && t.at < readyAt),
        `${s.name}: the banner did not say "Reconnecting… we keep trying." while the SFU was down:\n${shown}`,
      );
      assert.ok(
        seen.every((t) => t.end === null),
        `${s.name}: an end screen was shown:\n${shown}`,
      );
      // Reconnecting the whole time, past livekit-client's own attempts (~44 s): never gave up, never blank.
      assert.ok(
        seen.filter((t) => t.at > killedAt + 2000 && t.at < readyAt).every((t) => t.banner.includes('Reconnecting')),
        `${s.name}: the banner stopped saying "Reconnecting…" while the SFU was down:\n${shown}`,
      );
      // The rejoin asked the tool for a fresh join token and got one once the SFU was back (the tool refuses
      // one while the SFU is down; the SFU may answer it a moment before our own readiness probe does).
      assert.ok(
        s.tokens.some((t) => t.at >= killedAt + DOWN_MS && t.status === 200),
        `${s.name}: no fresh join token after the restart`,
      );
      assert.equal(await s.tool.locator('main[data-end]').count(), 0);
      assert.equal((await s.tool.locator('.banner[role="status"]').innerText()).trim(), '');
    }
    await saveScreenshot(student.page, 'outage-recovered');
  });
});
