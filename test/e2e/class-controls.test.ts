import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertNoSeriousViolations, type KnownIssue } from '../support/axe.js';
import { saveScreenshot, startBrowserTest } from '../support/browser.js';
import { readInboundTotals } from '../support/media-stats.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';
import { FRAME_SIZES, joinClass, openSeat, sizeFrame, type Seat } from '../support/room-pages.js';
import { testGateway, type TestEnvironment } from '../support/test-tool.js';

/**
 * The teacher's class controls in an 800x500 LMS iframe, with real launches and real LiveKit: the class
 * layout a late joiner follows (speaker, grid, camera-off tiles hidden), deaf for one student (their page
 * stops receiving audio and says why; undeaf brings it back), sound off and on for everyone, and axe in
 * light and dark.
 */
describe('class controls (headless Chromium in the demo LMS, real LiveKit)', function () {
  this.timeout(240_000);
  let env: TestEnvironment;
  let browser: Browser;
  const seats: Seat[] = [];
  const natives: TestParticipant[] = [];
  const pid = process.pid;

  before(async () => {
    [env, browser] = await startBrowserTest();
  });
  after(async () => {
    await Promise.all(natives.map((p) => p.disconnect()));
    await Promise.all(seats.map((s) => s.context.close()));
    await browser?.close();
  });

  /** This suite checks the leader panel and the stage; the control bar has its own checks (people-panel.test.ts). */
  const CONTROL_BAR: KnownIssue[] = ['label-content-name-mismatch', 'button-name', 'color-contrast'].map((id) => ({
    id,
    target: /data-control=|\.control-bar/,
    reason: 'the control bar is rewritten in a change of its own, with its own accessibility checks',
  }));

  const seat = async (role: 'instructor' | 'student', user: string, activity: string) => {
    const s = await openSeat(browser, env.tool.demoUrl ?? '', role, user, activity);
    seats.push(s);
    return s;
  };
  /** Audio bytes the page received, summed over its peer connections. */
  const audioBytes = async (s: Seat) => (await readInboundTotals(s.frame)).audioBytes;
  const growing = async (s: Seat) => {
    const before = await audioBytes(s);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    return (await audioBytes(s)) > before;
  };

  it('a late joiner follows the class layout; deaf and sound off for everyone end what flows, on the SFU', async () => {
    const activity = await LaunchedUser.createActivity(env.tool.url, { title: 'Class controls' });
    const teacher = await seat('instructor', `cc-teacher-${pid}`, activity);
    const student = await seat('student', `cc-student-${pid}`, activity);
    await sizeFrame(teacher, FRAME_SIZES[1]);
    await joinClass(teacher);
    await joinClass(student);
    const tool = teacher.tool;
    if (!(await tool.locator('.leader-panel').isVisible())) await tool.locator('[data-control="people"]').click();
    const panel = tool.locator('.leader-panel');
    await panel.waitFor();

    // Someone with the camera off (a native participant with a microphone only).
    const quiet = await LaunchedUser.launch(env.tool.url, 'student', activity, `cc-quiet-${pid}`);
    const quietGrant = await quiet.joinGrant();
    const native = await TestParticipant.connect(quietGrant);
    natives.push(native);
    await native.publishMicrophone({ tone: true });

    await panel.getByTestId('class-layout-mode').selectOption('speaker');
    // The form shows the class's layout as the room metadata brings it back, not the click.
    const hide = panel.getByTestId('class-layout-hideCameraOff');
    await hide.click();
    await waitUntil(() => hide.isChecked(), 10_000, 'camera-off tiles hidden for the class');

    // A late joiner: the class's speaker view, and no tile for the one whose camera is off.
    const late = await seat('student', `cc-late-${pid}`, activity);
    await joinClass(late);
    await late.tool.locator('.stage-view[data-layout="speaker"]').waitFor();
    await late.tool.locator(`.tile[data-identity="${teacher.identity}"]`).first().waitFor();
    assert.equal(await late.tool.locator(`.tile[data-identity="${quietGrant.identity}"]`).count(), 0);
    await panel.getByTestId('class-layout-mode').selectOption('grid');
    await hide.click();
    await waitUntil(async () => !(await hide.isChecked()), 10_000, 'camera-off tiles shown again');
    await late.tool.locator('.stage-view[data-layout="gallery"]').waitFor();
    await late.tool.locator(`.tile[data-identity="${quietGrant.identity}"]`).first().waitFor();

    // Deaf for one student: their page stops receiving audio and says why; undeaf brings it back.
    await waitUntil(() => growing(student), 30_000, "the student's page receives audio");
    await tool.getByRole('button', { name: `Actions for Demo ${student.name}` }).click();
    await tool.getByRole('menuitem', { name: `Turn class sound off for Demo ${student.name}` }).click();
    await student.tool.getByTestId('deaf-notice').waitFor();
    await waitUntil(async () => !(await growing(student)), 10_000, "the student's audio stopped by the SFU");
    assert.equal(await growing(student), false, 'no audio reaches the deafened page');
    await assertNoSeriousViolations(teacher.frame, 'leader panel 800x500 light', CONTROL_BAR);
    await saveScreenshot(teacher.page, 'class-controls-800x500-light');
    await tool.getByRole('button', { name: `Actions for Demo ${student.name}` }).click();
    await tool.getByRole('menuitem', { name: `Turn class sound on for Demo ${student.name}` }).click();
    await student.tool.getByTestId('deaf-notice').waitFor({ state: 'detached' });
    await waitUntil(() => growing(student), 20_000, "the student's audio again after undeaf");

    // Sound off for every student at once (the late one too), then on again.
    await teacher.page.emulateMedia({ colorScheme: 'dark' });
    await panel.locator('[data-action="deaf-all"]').click();
    for (const s of [student, late]) await s.tool.getByTestId('deaf-notice').waitFor();
    const sfu = testGateway(env);
    const listed = await sfu.listParticipants(quietGrant.room);
    for (const s of [student, late]) {
      assert.equal(listed.find((p) => p.identity === s.identity)?.permission?.canSubscribe, false, s.name);
    }
    assert.equal(listed.find((p) => p.identity === teacher.identity)?.permission?.canSubscribe, true);
    await waitUntil(async () => !(await growing(late)), 10_000, "the late student's audio stopped");
    await assertNoSeriousViolations(teacher.frame, 'leader panel 800x500 dark', CONTROL_BAR);
    await saveScreenshot(teacher.page, 'class-controls-800x500-dark');
    await panel.locator('[data-action="undeaf-all"]').click();
    for (const s of [student, late]) await s.tool.getByTestId('deaf-notice').waitFor({ state: 'detached' });
    await waitUntil(() => growing(late), 20_000, "the late student's audio again");
  });
});
