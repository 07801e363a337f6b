import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { CSV_COLUMNS } from '../../src/attendance/attendance-csv.js';
import { assertNoSeriousViolations } from '../support/axe.js';
import { saveScreenshot } from '../support/browser.js';
import { LaunchedUser } from '../support/room-client.js';
import { useRoomPages } from '../support/room-pages.js';

/**
 * Attendance and grades in the launcher after a real class: a teacher and two roster students join on the
 * real SFU, the teacher ends the class, then reads the attendance (present and absent, sorting, the CSV, a
 * person's history), previews and posts grades, and the demo LMS's gradebook shows them.
 */
describe('attendance and grades in the launcher (headless Chromium, real LiveKit)', function () {
  this.timeout(180_000);
  const room = useRoomPages('attendance');

  /** A class that grades attendance: full points for any time present, absentees 0, posted by the teacher. */
  const gradedActivity = (title: string) =>
    LaunchedUser.createActivity(room.env.tool.url, {
      title,
      grading: { enabled: true, maxPoints: 10, policy: 'attended', absent: 'zero', autoPost: false },
    });

  async function launch(role: 'instructor' | 'student', user: string, activity: string): Promise<Page> {
    const page = await room.launch(role, user, { activity, viewport: { width: 1100, height: 700 } });
    await page.getByRole('button', { name: 'Join the class' }).waitFor();
    return page;
  }

  async function join(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Join the class' }).click();
    await page.locator('.tile[data-local] video').waitFor({ timeout: 60_000 });
  }

  /** The page has no sideways scroll of its own (wide tables scroll inside their box). */
  async function assertNoPageScrollX(page: Page, label: string): Promise<void> {
    const { scroll, client } = (await page.evaluate(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    )) as { scroll: number; client: number };
    assert.ok(scroll <= client, `${label}: the page scrolls sideways (${scroll} > ${client})`);
  }

  it('after class the teacher reads attendance, downloads the CSV, posts grades; the gradebook has them', async () => {
    const title = `Attendance e2e ${process.pid}-${Date.now()}`;
    const activity = await gradedActivity(title);
    const teacher = await launch('instructor', 'demo-instructor-1', activity);
    const marie = await launch('student', 'demo-student-01', activity);
    const albert = await launch('student', 'demo-student-02', activity);
    const pages = [teacher, marie, albert];
    await room.withFailureShots(pages, async () => {
      // Before class: the teacher's Attendance tab works and has no sessions yet.
      await teacher.getByRole('tab', { name: 'Attendance' }).click();
      await teacher.getByText('No class sessions yet.', { exact: false }).waitFor();
      // Arrow keys move between the tabs, as WAI-ARIA tabs do.
      await teacher.getByRole('tab', { name: 'Attendance' }).press('ArrowLeft');
      assert.equal(await teacher.getByRole('tab', { name: 'Class' }).getAttribute('aria-selected'), 'true');

      await join(teacher);
      await Promise.all([join(marie), join(albert)]);
      for (const page of pages) await page.locator('.tile:not([data-local]) video').nth(1).waitFor();
      // Webhook times are whole seconds: a class of a few seconds gives the students time in it.
      await sleep(3_000);

      // In the room the records are a panel away, for students too.
      // In the control bar's More menu.
      await marie.getByRole('button', { name: 'More', exact: true }).click();
      await marie.getByRole('menuitem', { name: 'My attendance' }).click();
      await marie.getByRole('heading', { name: 'My attendance' }).waitFor();
      await teacher.getByRole('button', { name: 'More', exact: true }).click();
      await teacher.getByRole('menuitem', { name: 'Attendance', exact: true }).click();
      const running = teacher.locator('.side-panel .sessions-table tbody tr');
      await running.locator('[data-final="false"]').waitFor();
      await assertNoPageScrollX(teacher, 'the room with its attendance panel');
      await saveScreenshot(teacher, 'attendance-in-room');
      await teacher.getByRole('button', { name: 'People', exact: true }).click();

      await teacher.getByRole('button', { name: 'End class for everyone' }).click();
      await teacher.getByRole('button', { name: 'End the class', exact: true }).click();
      // The teacher who ended it is told so (end-screens.test.ts checks the words for each role).
      const ended = /^(The class has ended|You ended the class)$/;
      for (const page of pages) await page.getByRole('heading', { level: 1, name: ended }).waitFor();

      // The end screen: Attendance. The list asks again by itself until the session's record is final.
      await teacher.getByRole('tab', { name: 'Attendance' }).click();
      const sessionRow = teacher.locator('.sessions-table tbody tr');
      await sessionRow.first().waitFor();
      assert.equal(await sessionRow.count(), 1);
      await sessionRow.locator('[data-final="true"]').waitFor({ timeout: 40_000 });
      assert.match(await sessionRow.innerText(), /2 of 22/);
      await sessionRow.getByRole('button').click();
      await teacher.getByRole('heading', { name: /^Session of / }).waitFor();

      // Every roster learner is listed: the two who came present, the others absent.
      const learners = teacher.locator('table', { has: teacher.locator('caption', { hasText: 'Students (22)' }) });
      await learners.waitFor();
      const rowOf = (name: string) =>
        learners.locator('tbody tr', { has: teacher.getByRole('button', { name: `${name}, history` }) });
      assert.equal(await rowOf('Marie Curie').getAttribute('data-status'), 'present');
      assert.equal(await rowOf('Albert Einstein').getAttribute('data-status'), 'present');
      assert.equal(await rowOf('Isaac Newton').getAttribute('data-status'), 'absent');
      assert.match(await rowOf('Isaac Newton').innerText(), /Absent/);
      assert.equal(await learners.locator('tbody tr[data-status="absent"]').count(), 20);
      const others = teacher.locator('table', { has: teacher.locator('caption', { hasText: /^Others/ }) });
      assert.match(await others.innerText(), /Ada Lovelace/);
      assert.match(await teacher.locator('[data-roster-source]').innerText(), /Roster from the LMS/);

      // Sorting: a header button, aria-sort on its th; Enter flips it from the keyboard. (By joins: a class
      // of seconds gives everyone 0 minutes.)
      const joins = learners.locator('th[data-column="joins"]');
      await joins.getByRole('button').click();
      assert.equal(await joins.getAttribute('aria-sort'), 'ascending');
      assert.equal(await learners.locator('tbody tr').first().getAttribute('data-status'), 'absent');
      await joins.getByRole('button').press('Enter');
      assert.equal(await joins.getAttribute('aria-sort'), 'descending');
      assert.equal(await learners.locator('tbody tr').first().getAttribute('data-status'), 'present');
      assert.equal(await learners.locator('th[data-column="name"]').getAttribute('aria-sort'), null);

      await teacher.getByRole('button', { name: 'Refresh roster' }).click();
      await teacher.getByText(/^Roster read again at /).waitFor();

      await assertNoSeriousViolations(teacher, 'attendance session (light)');
      await teacher.emulateMedia({ colorScheme: 'dark' });
      await assertNoSeriousViolations(teacher, 'attendance session (dark)');
      await saveScreenshot(teacher, 'attendance-session-dark');
      await teacher.emulateMedia({ colorScheme: 'light' });
      await saveScreenshot(teacher, 'attendance-session');

      // In a small LMS frame the table scrolls in its box, not the page.
      await teacher.setViewportSize({ width: 800, height: 500 });
      await assertNoPageScrollX(teacher, '800x500');
      const boxRight = (await teacher.evaluate(
        "Math.max(...[...document.querySelectorAll('.table-box')].map((b) => b.getBoundingClientRect().right))",
      )) as number;
      assert.ok(boxRight <= 800, `the table boxes fit the frame (right edge at ${boxRight})`);
      await saveScreenshot(teacher, 'attendance-session-800x500');
      await teacher.setViewportSize({ width: 1100, height: 700 });

      // The CSV: a UTF-8 byte order mark, then the documented header row.
      const [download] = await Promise.all([
        teacher.waitForEvent('download'),
        teacher.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^attendance-\d{4}-\d{2}-\d{2}-ses_[\w-]+\.csv$/);
      const csv = await readFile(await download.path());
      assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with a BOM');
      const lines = csv.subarray(3).toString('utf8').trim().split(/\r?\n/);
      assert.equal(lines[0], CSV_COLUMNS.join(','));
      assert.ok(lines.length >= 1 + 22 + 1, `a row per roster learner and the teacher (${lines.length - 1} rows)`);
      await teacher.getByText(`Downloaded ${download.suggestedFilename()}.`).waitFor();

      // A person's history, and back.
      await teacher.getByRole('button', { name: 'Marie Curie, history' }).click();
      await teacher.getByRole('heading', { name: 'Attendance of Marie Curie' }).waitFor();
      assert.equal(await teacher.locator('.person-table tbody tr').getAttribute('data-status'), 'present');
      await teacher.getByRole('button', { name: 'Back to the session' }).click();
      await teacher.getByRole('button', { name: 'Back to all sessions' }).click();

      // Grades: the policy in words, the preview, Post grades, then every line posted.
      const grades = teacher.locator('section.grades');
      await grades.getByText('Full points for any time present; absent: 0;', { exact: false }).waitFor();
      assert.equal(await grades.getAttribute('data-can-post'), 'true');
      const gradeRow = (name: string) => grades.locator('tbody tr', { has: teacher.getByRole('rowheader', { name }) });
      assert.match(await gradeRow('Marie Curie').innerText(), /10 \/ 10/);
      assert.match(await gradeRow('Isaac Newton').innerText(), /0 \/ 10/);
      assert.equal(await gradeRow('Marie Curie').getAttribute('data-sync'), 'not-posted');
      await assertNoSeriousViolations(teacher, 'grades preview');
      await grades.getByRole('button', { name: 'Post grades' }).click();
      await grades.getByTestId('grade-result').getByText('22 queued for the LMS, 0 already up to date.').waitFor();
      await grades.locator('tbody tr[data-sync="posted"]').nth(21).waitFor({ timeout: 40_000 });
      assert.match(await gradeRow('Marie Curie').innerText(), /Posted 10 \/ 10/);
      await saveScreenshot(teacher, 'attendance-grades');

      // The student's own record, on their end screen.
      await marie.getByRole('tab', { name: 'My attendance' }).click();
      await marie.locator('.person-table tbody tr[data-status="present"]').waitFor();
      await assertNoSeriousViolations(marie, 'my attendance');

      // The LMS's gradebook shows the scores.
      await teacher.goto(`${room.env.tool.demoUrl}/gradebook`);
      const column = teacher.locator('section', { has: teacher.getByRole('heading', { name: new RegExp(title) }) });
      await column.waitFor();
      assert.match(await column.locator('tr', { hasText: 'Marie Curie' }).innerText(), /10 \/ 10/);
      assert.match(await column.locator('tr', { hasText: 'Isaac Newton' }).innerText(), /0 \/ 10/);
    });
  });
});
