import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertNoSeriousViolations } from '../support/axe.js';
import { saveScreenshot } from '../support/browser.js';
import { describeFlow, sampleFlows } from '../support/media-stats.js';
import { LaunchedUser, waitUntil } from '../support/room-client.js';
import { useRoomPages } from '../support/room-pages.js';

/**
 * Breakout rooms with a teacher and two students in real Chromium pages on the real SFU: the teacher places
 * both students in Room 1 by hand, their media flows to each other there, the teacher visits, broadcasts
 * and closes the rooms, and everyone is back in the main room.
 */
describe('breakout rooms (headless Chromium, real LiveKit)', function () {
  this.timeout(240_000);
  const room = useRoomPages('breakouts');

  const join = async (page: Page) => {
    await page.getByRole('button', { name: 'Join the class' }).click();
    await page.locator('.tile[data-local]').waitFor();
  };
  const identityOf = async (page: Page) =>
    (await page.locator('.tile[data-local]').getAttribute('data-identity')) as string;
  const remoteTiles = (page: Page) => page.locator('.tile:not([data-local])');
  const banner = (page: Page) => page.getByTestId('breakout-banner');

  it('splits the class by hand, media flows within a breakout, the teacher visits and broadcasts, all return', async () => {
    const activity = await LaunchedUser.createActivity(room.env.tool.url, { title: 'Breakout class' });
    const teacher = await room.launch('instructor', 'brk-teacher', { activity, viewport: { width: 800, height: 500 } });
    const one = await room.launch('student', 'brk-one', { activity });
    const two = await room.launch('student', 'brk-two', { activity, viewport: { width: 390, height: 844 } });
    const pages = [teacher, one, two];
    await room.withFailureShots(pages, async () => {
      for (const p of pages) await join(p);
      await waitUntil(async () => (await remoteTiles(teacher).count()) === 2, 20_000, 'the teacher sees both');
      const [idOne, idTwo] = [await identityOf(one), await identityOf(two)];
      // A microphone turned off in the main room stays off in the breakout.
      const mic = one.locator('[data-control="microphone"]');
      await mic.and(one.locator('[aria-pressed="true"]')).waitFor();
      await mic.click();
      await mic.and(one.locator('[aria-pressed="false"]')).waitFor();

      // Plan by hand: both students in Room 1 of 2.
      await teacher.getByRole('button', { name: 'Breakout rooms' }).click();
      const dialog = teacher.getByRole('dialog', { name: 'Breakout rooms' });
      await dialog.getByRole('radio', { name: 'By hand' }).check();
      for (const name of ['Demo brk-one', 'Demo brk-two']) {
        await dialog.locator('.breakouts-people li', { hasText: name }).locator('select').selectOption('1');
      }
      for (const colorScheme of ['light', 'dark'] as const) {
        await teacher.emulateMedia({ colorScheme });
        await assertNoSeriousViolations(teacher, `breakouts plan (${colorScheme})`);
      }
      await teacher.emulateMedia({ colorScheme: 'light' });
      await dialog.getByRole('button', { name: 'Open 2 rooms' }).click();
      await dialog.getByRole('heading', { name: 'Room 1' }).waitFor();
      for (const colorScheme of ['light', 'dark'] as const) {
        await teacher.emulateMedia({ colorScheme });
        await assertNoSeriousViolations(teacher, `breakouts round (${colorScheme})`);
      }
      await teacher.emulateMedia({ colorScheme: 'light' });
      await saveScreenshot(teacher, 'breakouts-panel');

      // Each student lands in Room 1 and receives the other's media there (not the teacher's).
      for (const p of [one, two]) await banner(p).getByText('You are in Room 1').waitFor({ timeout: 20_000 });
      await waitUntil(
        async () => (await remoteTiles(one).count()) === 1 && (await remoteTiles(two).count()) === 1,
        20_000,
        'the two students alone together in Room 1',
      );
      let flows = await sampleFlows([one, two]);
      await waitUntil(
        async () => {
          flows = await sampleFlows([one, two]);
          return (
            flows[0]!.rising.some((s) => s.kind === 'video' && s.owner === idTwo) &&
            flows[1]!.rising.some((s) => s.kind === 'video' && s.owner === idOne)
          );
        },
        40_000,
        () => `video flowing both ways in Room 1:\n${describeFlow(flows[0]!)}\n--\n${describeFlow(flows[1]!)}`,
      );
      await saveScreenshot(two, 'breakouts-student-phone');
      assert.equal(await mic.getAttribute('aria-pressed'), 'false', 'the microphone kept off');

      // The teacher visits Room 1: the students see them arrive.
      await dialog.getByRole('button', { name: 'Visit Room 1' }).click();
      await banner(teacher).getByText('You are in Room 1').waitFor({ timeout: 20_000 });
      await waitUntil(async () => (await remoteTiles(one).count()) === 2, 20_000, 'the teacher in Room 1');

      // A broadcast reaches every breakout as a toast.
      await teacher.getByRole('button', { name: /Breakout rooms/ }).click();
      const again = teacher.getByRole('dialog', { name: 'Breakout rooms' });
      await again.getByRole('textbox', { name: 'Message to every room' }).fill('Two minutes left');
      await again.getByRole('button', { name: 'Send to all rooms' }).click();
      for (const p of [one, two]) await p.getByTestId('breakout-broadcast').getByText('Two minutes left').waitFor();

      // Close all, at once: everyone is back in the main room together.
      await again.getByRole('combobox', { name: 'Return after' }).selectOption('0');
      await again.getByRole('button', { name: 'Close all rooms' }).click();
      for (const p of pages) {
        await waitUntil(async () => (await banner(p).count()) === 0, 20_000, 'the breakout banner gone');
        await waitUntil(async () => (await remoteTiles(p).count()) === 2, 30_000, 'everyone back in the main room');
      }
      assert.equal(await teacher.getByText('The class has ended').count(), 0);
    });
  });
});
