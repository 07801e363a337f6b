import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { saveScreenshot, screenshotDir } from '../support/browser.js';
import { readInboundTotals, type InboundTotals } from '../support/media-stats.js';
import { useRoomPages } from '../support/room-pages.js';

/**
 * The room through real launches: the demo LMS's launch URL runs the OIDC round trip and lands on
 * /launch#token=..., then the pages join the same LiveKit room through POST /api/room/token.
 */
describe('live class room (headless Chromium, real LiveKit)', function () {
  this.timeout(120_000);
  const room = useRoomPages('room');

  /** A fresh profile launched as `role`/`user` from the demo LMS, on the pre-join page. */
  async function launch(role: 'instructor' | 'student', user: string, activity?: string): Promise<Page> {
    const page = await room.launch(role, user, activity ? { activity } : {});
    await page.getByRole('button', { name: 'Join the class' }).waitFor();
    return page;
  }

  const inbound = (page: Page): Promise<InboundTotals> => readInboundTotals(page);

  /** Both samples ~2 s apart: video bytes and decoded frames, audio bytes and samples all rise. */
  async function assertMediaFlows(pages: Record<string, Page>): Promise<void> {
    const first = await Promise.all(Object.values(pages).map(inbound));
    await sleep(2000);
    const second = await Promise.all(Object.values(pages).map(inbound));
    Object.keys(pages).forEach((name, i) => {
      const [a, b] = [first[i] as InboundTotals, second[i] as InboundTotals];
      for (const key of ['videoBytes', 'framesDecoded', 'audioBytes', 'audioSamples'] as const) {
        assert.ok(b[key] > a[key], `${name}: inbound ${key} did not rise (${a[key]} -> ${b[key]})`);
      }
    });
  }

  const withFailureShots = room.withFailureShots;

  it('teacher and student see and hear each other; hand raise, leader mute and end for all', async () => {
    const teacher = await launch('instructor', 'e2e-teacher');
    const student = await launch('student', 'e2e-student-1');
    await withFailureShots([teacher, student], async () => {
      await teacher.getByRole('button', { name: 'Join the class' }).click();
      await teacher.locator('.tile[data-local] video').waitFor();
      await student.getByRole('button', { name: 'Join the class' }).click();

      // Each page shows the other's camera, decoded, and receives their microphone.
      for (const page of [teacher, student]) {
        await page.locator('.tile:not([data-local]) video').waitFor();
        await page.locator('audio[data-identity]').waitFor({ state: 'attached' });
      }
      await assertMediaFlows({ teacher, student });
      const studentTile = teacher.locator('.tile:not([data-local])');
      assert.match((await studentTile.getAttribute('aria-label')) ?? '', /^Demo e2e-student-1, Student/);
      assert.match((await student.locator('.tile:not([data-local])').getAttribute('aria-label')) ?? '', /, Teacher/);
      assert.equal(await student.locator('.leader-panel').count(), 0);
      await saveScreenshot(teacher, 'room-grid');

      // The student raises a hand: the teacher's tile, panel and live region show it.
      await student.getByRole('button', { name: 'Raise hand' }).click();
      await student.getByRole('button', { name: 'Lower hand' }).waitFor();
      await studentTile.locator('[data-state="hand-raised"]').waitFor();
      await teacher.getByRole('button', { name: 'Lower hand of Demo e2e-student-1' }).waitFor();
      await teacher.getByTestId('announcements').getByText('Demo e2e-student-1 raised a hand.').waitFor();
      await teacher.locator('.leader-panel').screenshot({ path: path.join(screenshotDir(), 'room-leader-panel.png') });

      // The teacher mutes the student's microphone; the student's button says so and stays off.
      await teacher.getByRole('button', { name: 'Actions for Demo e2e-student-1' }).click();
      await teacher.getByRole('menuitem', { name: 'Mute mic of Demo e2e-student-1' }).click();
      const micBlocked = student.locator('[data-control="microphone"][data-blocked="true"]');
      await micBlocked.waitFor();
      assert.equal(await micBlocked.getAttribute('aria-label'), 'Mic muted by the teacher');
      await student.getByText('Your teacher muted your microphone. They can allow it again.').waitFor();
      assert.equal(await micBlocked.getAttribute('aria-disabled'), 'true');
      await teacher.getByRole('button', { name: 'Actions for Demo e2e-student-1' }).click();
      await teacher.getByRole('menuitem', { name: 'Allow mic for Demo e2e-student-1' }).waitFor();
      await teacher.keyboard.press('Escape');
      await studentTile.locator('[data-state="mic-off"]').waitFor();
      await saveScreenshot(student, 'room-student-muted');

      // "Remove everyone" is asked first; Escape removes nobody and gives the focus back to the button.
      await teacher.locator('.leader-panel [data-action="remove-all"]').click();
      const removeAll = teacher.getByRole('dialog', { name: 'Remove every student from the class?' });
      await removeAll.waitFor();
      const description = await removeAll.getAttribute('aria-describedby');
      assert.match(
        (await teacher.locator(`[id="${description}"]`).textContent()) ?? '',
        /^Every student is disconnected/,
      );
      await teacher.keyboard.press('Escape');
      await removeAll.waitFor({ state: 'hidden' });
      assert.equal(await teacher.evaluate(`document.activeElement?.getAttribute('data-action')`), 'remove-all');
      await studentTile.waitFor();

      // End for all, through the confirmation dialog: both pages show the end screen.
      await teacher.getByRole('button', { name: 'End class for everyone' }).click();
      await teacher.getByRole('dialog', { name: 'End the class for everyone?' }).waitFor();
      await teacher.getByRole('button', { name: 'End the class', exact: true }).click();
      await teacher.getByRole('heading', { level: 1, name: 'You ended the class' }).waitFor();
      await student.getByRole('heading', { level: 1, name: 'The class has ended' }).waitFor();
      await saveScreenshot(student, 'room-ended');

      // A new launch is refused in a plain sentence until a teacher reopens the class.
      const again = await launch('student', 'e2e-student-1');
      await again.getByRole('button', { name: 'Join the class' }).click();
      await again.getByText('This class has ended. It opens again when your teacher restarts it.').waitFor();
      assert.equal(await again.locator('[data-code]').getAttribute('data-code'), 'ROOM_ENDED');
    });
  });

  it('waiting room: the teacher admits one student and denies another', async () => {
    // A class with the waiting room on, added through deep linking as a top-level page.
    const teacher = await launch('instructor', 'e2e-teacher-2');
    const demo = `${room.env.tool.demoUrl}/platform/launch?role=instructor&user=e2e-teacher-2&message=deeplink`;
    await teacher.goto(demo);
    await teacher.getByLabel('Title (required)').fill('Waiting class');
    await teacher.getByLabel('Waiting room', { exact: false }).check();
    await teacher.getByRole('button', { name: 'Add to course' }).click();
    await teacher.getByRole('heading', { name: 'Activity added: Waiting class' }).waitFor();
    await teacher.goto(room.env.tool.demoUrl ?? '');
    const activity = await teacher
      .getByLabel('Activity to launch')
      .locator('option', { hasText: 'Waiting class' })
      .getAttribute('value');
    assert.ok(activity);

    const leader = await launch('instructor', 'e2e-teacher-2', activity);
    const admitted = await launch('student', 'e2e-student-2', activity);
    const denied = await launch('student', 'e2e-student-3', activity);
    await withFailureShots([leader, admitted, denied], async () => {
      await leader.getByRole('button', { name: 'Join the class' }).click();
      await leader.locator('.leader-panel').waitFor();

      await admitted.getByRole('button', { name: 'Join the class' }).click();
      await admitted.getByRole('heading', { level: 1, name: 'Waiting room' }).waitFor();
      await denied.getByRole('button', { name: 'Join the class' }).click();
      await denied.getByRole('heading', { level: 1, name: 'Waiting room' }).waitFor();

      // The queue reaches the teacher as a pushed 'queue' message (or GET /api/room).
      await leader.getByRole('button', { name: 'Deny Demo e2e-student-3' }).waitFor();
      await saveScreenshot(leader, 'room-waiting-queue');
      await leader.getByRole('button', { name: 'Admit Demo e2e-student-2' }).click();
      await admitted.locator('.tile[data-local]').waitFor();
      await leader.locator('.tile:not([data-local])').waitFor();
      await leader.getByRole('button', { name: 'Deny Demo e2e-student-3' }).click();
      await denied.getByRole('heading', { level: 1, name: 'Your request was declined' }).waitFor();
      await leader.getByText('Nobody is waiting.').waitFor();
    });
  });
});
