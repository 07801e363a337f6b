import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { formatViolations, seriousViolations } from '../support/axe.js';
import { inPage, saveScreenshot } from '../support/browser.js';
import { useRoomPages } from '../support/room-pages.js';

/** Who ended the class, as each person is told; a class of its own (other suites end the demo's first). */
describe('role-aware end screens (headless Chromium, real LiveKit)', function () {
  this.timeout(120_000);
  const room = useRoomPages('end-screens');

  async function addClass(title: string): Promise<string> {
    const page = await room.launch('instructor', 'end-author');
    const demoUrl = room.env.tool.demoUrl ?? '';
    await page.goto(`${demoUrl}/platform/launch?role=instructor&user=end-author&message=deeplink`);
    await page.getByLabel('Title (required)').fill(title);
    await page.getByRole('button', { name: 'Add to course' }).click();
    await page.getByRole('heading', { name: `Activity added: ${title}` }).waitFor();
    await page.goto(demoUrl);
    const option = page.getByLabel('Activity to launch').locator('option', { hasText: title });
    const activity = await option.first().getAttribute('value');
    assert.ok(activity);
    return activity;
  }

  async function joined(role: 'instructor' | 'student', user: string, activity: string, locale = 'en-US') {
    const page = await room.launch(role, user, { activity, locale });
    await room.withFailureShots([page], async () => {
      await page.locator('.join-status button').click();
      await page.locator('main.room[data-connection="connected"]').waitFor({ timeout: 30_000 });
    });
    return page;
  }

  async function endForEveryone(teacher: Page): Promise<void> {
    await teacher.getByRole('button', { name: 'End class for everyone' }).click();
    await teacher.getByRole('button', { name: 'End the class', exact: true }).click();
  }

  it('the teacher who ended it sees "You ended the class" with its length and attendance; the student, "Your teacher ended the class"; a co-teacher, another teacher', async () => {
    const activity = await addClass('End screens class');
    const teacher = await joined('instructor', 'end-teacher', activity);
    const coTeacher = await joined('instructor', 'end-co-teacher', activity);
    // A student on the course roster (the summary counts the roster's learners who came).
    const student = await joined('student', 'demo-student-02', activity);
    await room.withFailureShots([teacher, coTeacher, student], async () => {
      // Join and leave times are whole seconds: give the student time in the class.
      await sleep(3000);
      await endForEveryone(teacher);

      const heading = teacher.getByRole('heading', { level: 1, name: 'You ended the class' });
      await heading.waitFor();
      assert.equal(await teacher.locator('main[data-end="ended"]').getAttribute('data-ender'), 'you');
      const summary = teacher.getByTestId('class-summary');
      await summary.getByText(/It lasted (less than a minute|\d+ minutes?)\./).waitFor({ timeout: 20_000 });
      assert.match(await summary.innerText(), /\b1 of \d+ students attended\./);
      await saveScreenshot(teacher, 'end-screen-teacher');
      for (const colorScheme of ['light', 'dark'] as const) {
        await teacher.emulateMedia({ colorScheme });
        const violations = await seriousViolations(teacher);
        assert.deepEqual(violations, [], `teacher's end screen, ${colorScheme}:\n${formatViolations(violations)}`);
      }

      await coTeacher.getByRole('heading', { level: 1, name: 'The class has ended' }).waitFor();
      await coTeacher.getByText('Another teacher ended the class for everyone.').waitFor();

      await student.getByRole('heading', { level: 1, name: 'The class has ended' }).waitFor();
      await student.getByText('Your teacher ended the class.', { exact: true }).waitFor();
      assert.equal(await student.getByText(/for everyone/).count(), 0);
      assert.equal(await student.getByTestId('class-summary').count(), 0, 'students get no class summary');
      await saveScreenshot(student, 'end-screen-student');
    });
  });

  it("a teacher's Leave asks: Stay keeps the class, Leave leaves it running, End for everyone ends it", async () => {
    const activity = await addClass('Leave dialog class');
    const teacher = await joined('instructor', 'leave-teacher', activity);
    const student = await joined('student', 'demo-student-03', activity);
    await room.withFailureShots([teacher, student], async () => {
      const leave = teacher.getByRole('button', { name: 'Leave the class' });
      const dialog = teacher.getByRole('dialog', { name: 'Leave the class?' });
      // Stay (and Escape): back in the class.
      await leave.click();
      await dialog.waitFor();
      await teacher.waitForFunction(inPage(`document.activeElement?.textContent === 'Leave'`), undefined, {
        timeout: 5000,
      });
      await saveScreenshot(teacher, 'leave-dialog');
      await teacher.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await leave.click();
      await dialog.getByRole('button', { name: 'Stay' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await teacher.locator('main.room[data-connection="connected"]').waitFor();

      // Leave: the teacher is out, the class goes on for the student; the teacher joins again.
      await leave.click();
      await dialog.getByRole('button', { name: 'Leave', exact: true }).click();
      await teacher.getByRole('heading', { level: 1, name: 'You left the class' }).waitFor();
      // (Under load a page may be reconnecting for a moment: wait for connected, never an end screen.)
      await student.locator('main.room[data-connection="connected"]').waitFor();
      assert.equal(await student.locator('main[data-end]').count(), 0, 'the class goes on');
      await teacher.getByRole('button', { name: 'Join again' }).click();
      await teacher.locator('.join-status button').click();
      await teacher.locator('main.room[data-connection="connected"]').waitFor({ timeout: 30_000 });

      // End for everyone: the teacher is told they ended it, the student that their teacher did.
      await leave.click();
      await dialog.getByRole('button', { name: 'End for everyone' }).click();
      await teacher.getByRole('heading', { level: 1, name: 'You ended the class' }).waitFor();
      await student.getByRole('heading', { level: 1, name: 'The class has ended' }).waitFor();
      await student.getByText('Your teacher ended the class.', { exact: true }).waitFor();
    });
  });

  it('in Spanish: "Terminaste la clase" for the teacher who ended it', async () => {
    const activity = await addClass('Clase de fin');
    const teacher = await joined('instructor', 'end-teacher-es', activity, 'es-ES');
    await room.withFailureShots([teacher], async () => {
      await teacher.getByRole('button', { name: 'Terminar la clase para todos' }).click();
      await teacher.getByRole('button', { name: 'Terminar la clase', exact: true }).click();
      await teacher.getByRole('heading', { level: 1, name: 'Terminaste la clase' }).waitFor();
      await teacher.getByTestId('class-summary').getByText(/Duró/).waitFor({ timeout: 20_000 });
    });
  });
});
