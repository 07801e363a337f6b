import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertNoSeriousViolations } from '../support/axe.js';
import { saveScreenshot } from '../support/browser.js';
import { LaunchedUser } from '../support/room-client.js';
import { useRoomPages } from '../support/room-pages.js';

/**
 * Polls in a real class: the teacher launches one from the Polls panel, the student answers it on the vote
 * card by keyboard, the teacher's bars move without a reload (the server's push), then close and share; the
 * session's attendance view lists the poll with its results. Real launches, real LiveKit.
 */
describe('polls (headless Chromium, real LiveKit)', function () {
  this.timeout(180_000);
  const room = useRoomPages('polls');
  const { withFailureShots } = room;

  async function join(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Join the class' }).click();
    await page.locator('.tile[data-local]').waitFor();
  }

  it('teacher launches, student votes by keyboard, live results, close, share, attendance keeps it', async () => {
    const activity = await LaunchedUser.createActivity(room.env.tool.url, { title: 'Poll class' });
    const teacher = await room.launch('instructor', 'poll-teacher', { activity });
    const student = await room.launch('student', 'poll-student', { activity });
    await withFailureShots([teacher, student], async () => {
      await join(teacher);
      await join(student);
      await teacher.locator('.tile:not([data-local])').waitFor();

      // The teacher composes and launches.
      await teacher.locator('[data-control="polls"]').click();
      const panel = teacher.getByRole('region', { name: 'Polls' });
      await panel.getByRole('textbox', { name: 'Question' }).fill('Which planet is largest?');
      await panel.getByRole('textbox', { name: 'Option 1' }).fill('Mars');
      await panel.getByRole('textbox', { name: 'Option 2' }).fill('Jupiter');
      await panel.getByRole('button', { name: 'Add option' }).click();
      await panel.getByRole('textbox', { name: 'Option 3' }).fill('Venus');
      await panel.getByRole('button', { name: 'Launch poll' }).click();
      await panel.getByText('Poll launched.').waitFor();
      assert.equal(await panel.getByRole('button', { name: 'Launch poll' }).isDisabled(), true);
      await panel.getByText('0 votes').waitFor();

      // The student gets a card where the eye is, and a badge on Polls; answers by keyboard.
      const card = student.getByRole('region', { name: 'New poll' });
      await card.getByRole('group', { name: 'Which planet is largest?' }).waitFor();
      assert.match(await student.locator('[data-control="polls"]').innerText(), /1/);
      for (const colorScheme of ['light', 'dark'] as const) {
        await student.emulateMedia({ colorScheme });
        await assertNoSeriousViolations(student, `vote card (${colorScheme})`);
      }
      await student.emulateMedia({ colorScheme: 'light' });
      await saveScreenshot(student, 'poll-card');
      await card.getByRole('radio', { name: 'Mars' }).focus();
      await student.keyboard.press('ArrowDown');
      assert.equal(await card.getByRole('radio', { name: 'Jupiter' }).isChecked(), true);
      await student.keyboard.press('Tab');
      await student.keyboard.press('Enter');
      await student.locator('.poll-card').getByText('Vote recorded.').waitFor();

      // The teacher's bars move by themselves (the server pushed on topic 'poll').
      const jupiter = panel.locator('.poll[data-state="open"] li[data-option="1"]');
      await panel.locator('.poll[data-state="open"] li[data-option="1"][data-count="1"]').waitFor();
      assert.equal(await jupiter.innerText(), 'Jupiter: 1 (100%)');
      await panel.getByText('1 vote', { exact: true }).waitFor();
      for (const colorScheme of ['light', 'dark'] as const) {
        await teacher.emulateMedia({ colorScheme });
        await assertNoSeriousViolations(teacher, `poll panel (${colorScheme})`);
      }
      await teacher.emulateMedia({ colorScheme: 'light' });
      await saveScreenshot(teacher, 'poll-panel');

      // Before sharing, the student sees their answer, not the counts.
      await student.locator('[data-control="polls"]').click();
      const studentPanel = student.getByRole('region', { name: 'Polls' });
      await studentPanel.getByText('Your answer: Jupiter').waitFor();
      await studentPanel.getByText('Results appear here if your teacher shares them.').waitFor();

      // Close, then share: the student's panel shows the results without a reload.
      await panel.getByRole('button', { name: 'Close poll' }).click();
      await panel.locator('.poll[data-state="closed"]').waitFor();
      await panel.getByRole('button', { name: 'Share results' }).click();
      await panel.getByText('Results shared with the class.').waitFor();
      await studentPanel.getByText('Jupiter: 1 (100%)').waitFor();
      await studentPanel.locator('.poll[data-state="closed"]').waitFor();
      for (const colorScheme of ['light', 'dark'] as const) {
        await student.emulateMedia({ colorScheme });
        await assertNoSeriousViolations(student, `student poll panel with results (${colorScheme})`);
      }
      await student.emulateMedia({ colorScheme: 'light' });

      // A half-written poll survives closing the panel.
      await panel.getByRole('textbox', { name: 'Question' }).fill('Next question?');
      await teacher.locator('[data-control="polls"]').click();
      await panel.waitFor({ state: 'hidden' });
      await teacher.locator('[data-control="polls"]').click();
      assert.equal(await panel.getByRole('textbox', { name: 'Question' }).inputValue(), 'Next question?');

      // The session's attendance view keeps the poll and its results.
      await teacher.getByRole('button', { name: 'More', exact: true }).click();
      await teacher.getByRole('menuitem', { name: 'Attendance', exact: true }).click();
      await teacher.locator('.side-panel .sessions-table tbody tr').first().getByRole('button').click();
      const polls = teacher.getByTestId('session-polls');
      await polls.getByRole('heading', { name: 'Polls' }).waitFor();
      await polls.getByRole('heading', { name: 'Which planet is largest?' }).waitFor();
      await polls.getByText('Jupiter: 1 (100%)').waitFor();
      await polls.getByText('Mars: 0 (0%)').waitFor();
      await assertNoSeriousViolations(teacher, 'attendance session with polls');
    });
  });
});
