import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertNoSeriousViolations, type KnownIssue } from '../support/axe.js';
import { inPage, saveScreenshot } from '../support/browser.js';
import { LaunchedUser, waitUntil } from '../support/room-client.js';
import { useRoomPages } from '../support/room-pages.js';

/**
 * The people panel of a class of 30 to 300, with real launches and real LiveKit: the knock toast's Admit,
 * "Admit all" for two waiting students, the compact list with search and sort, the per-person menu by
 * keyboard, and a removal only after its confirmation.
 */
describe('people panel (headless Chromium, real LiveKit)', function () {
  this.timeout(180_000);
  const room = useRoomPages('people-panel');
  const { withFailureShots } = room;
  const pid = process.pid;
  const name = (user: string) => `Demo ${user}`;
  /** This suite checks the people panel, the menus, the dialog and the toast; the control bar has its own. */
  const CONTROL_BAR: KnownIssue[] = ['label-content-name-mismatch', 'button-name', 'color-contrast'].map((id) => ({
    id,
    target: /data-control=|\.control-bar/,
    reason: 'the control bar is rewritten in a change of its own, with its own accessibility checks',
  }));
  const axe = (page: Page, label: string) => assertNoSeriousViolations(page, label, CONTROL_BAR);

  /** A student who presses Join in a class with the waiting room on, and waits there. */
  async function knock(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Join the class' }).click();
    // Not waiting for the lobby connection: an answer given before it is up must still get through.
    await page.getByRole('heading', { level: 1, name: 'Waiting room' }).waitFor();
  }
  /** In the room and on the SFU (the own tile shows while still connecting). */
  const inRoom = (page: Page) => page.locator('main.room[data-connection="connected"] .tile[data-local]').waitFor();

  it('toast Admit, Admit all, a compact searchable list, and Remove after confirmation', async () => {
    const activity = await LaunchedUser.createActivity(room.env.tool.url, { title: 'Big class', waitingRoom: true });
    const users = { early: `pp-early-${pid}`, first: `pp-first-${pid}`, second: `pp-second-${pid}` };
    const teacher = await room.launch('instructor', `pp-teacher-${pid}`, { activity });
    const early = await room.launch('student', users.early, { activity });
    const first = await room.launch('student', users.first, { activity });
    const second = await room.launch('student', users.second, { activity });
    await withFailureShots([teacher, early, first, second], async () => {
      await teacher.getByRole('button', { name: 'Join the class' }).click();
      await inRoom(teacher);
      const panel = teacher.locator('.leader-panel');
      await panel.waitFor();

      // The knock's sound is two Web Audio notes: counted here by the oscillators the page starts.
      await teacher.evaluate(
        inPage(`(() => {
          window.notes = 0;
          const create = AudioContext.prototype.createOscillator;
          AudioContext.prototype.createOscillator = function () { window.notes += 1; return create.call(this); };
        })()`),
      );
      const notes = () => teacher.evaluate(inPage('window.notes')) as Promise<number>;

      // A knock while the teacher looks elsewhere (People closed): a toast with an inline Admit, and a sound.
      await teacher.locator('[data-control="people"]').click();
      await panel.waitFor({ state: 'detached' });
      await knock(early);
      const toast = teacher.getByRole('status').filter({ hasText: `${name(users.early)} is waiting to join.` });
      await toast.waitFor();
      assert.equal(await notes(), 2, 'the knock sounded');
      // The teacher turns the sound off: later knocks are silent (kept in this browser).
      const sound = toast.getByRole('button', { name: 'Sound' });
      assert.equal(await sound.getAttribute('aria-pressed'), 'true');
      await sound.click();
      assert.equal(await sound.getAttribute('aria-pressed'), 'false');
      await axe(teacher, 'knock toast');
      await saveScreenshot(teacher, 'people-knock-toast');
      await toast.getByRole('button', { name: `Admit ${name(users.early)}` }).click();
      await inRoom(early);
      await teacher
        .locator('.knock-toast')
        .getByText(`${name(users.early)} was let in.`)
        .waitFor();

      // Two knock with People open: no toast, and one "Admit all" lets both in.
      await teacher.locator('[data-control="people"]').click();
      await knock(first);
      await knock(second);
      await panel.getByRole('heading', { name: 'Waiting room (2)' }).waitFor();
      assert.equal(await notes(), 2, 'no sound once turned off');
      assert.equal(await teacher.locator('.knock-toast .knock-body').count(), 0, 'no toast with People open');
      await panel.getByRole('button', { name: 'Admit all: 2 people' }).click();
      await Promise.all([inRoom(first), inRoom(second)]);
      await panel.getByText('Nobody is waiting.').waitFor();

      // The compact list: one line per student, actions only behind each person's menu.
      const rows = panel.locator('[data-people-list] li[data-identity]');
      const rowCount = (n: number) =>
        teacher.waitForFunction(
          inPage(`document.querySelectorAll('.leader-panel [data-people-list] li[data-identity]').length === ${n}`),
        );
      await rowCount(3);
      for (let i = 0; i < 3; i++) {
        const row = rows.nth(i);
        const box = await row.boundingBox();
        assert.ok(box && box.height < 48, `row ${i} is one line: ${JSON.stringify(box)}`);
        assert.equal(await row.getByRole('button').count(), 1, `row ${i}: one menu button`);
      }
      assert.match(await rows.first().innerText(), /Demo pp-\w+-\d+\s*Student/);

      // Search by name (accents and case aside) and sort.
      const search = panel.getByRole('searchbox', { name: 'Search people' });
      await search.fill('PP-SECOND');
      await rowCount(1);
      assert.match(await rows.first().innerText(), new RegExp(name(users.second)));
      await panel.getByRole('status').filter({ hasText: '1 person shown' }).waitFor();
      await search.fill('');
      await rowCount(3);
      await panel.getByRole('combobox', { name: 'Sort by' }).selectOption('name');
      const byName = [users.early, users.first, users.second].map(name).sort((a, b) => a.localeCompare(b));
      const shownNames = async () => (await rows.locator('.person-name').allInnerTexts()).map((s) => s.trim());
      await waitUntil(
        async () => JSON.stringify(await shownNames()) === JSON.stringify(byName),
        5_000,
        'sorted by name',
      );

      // The menu by keyboard: Enter opens on the first item, arrows move, Escape closes back on the button.
      const menuButton = panel.getByRole('button', { name: `Actions for ${name(users.first)}` });
      await menuButton.focus();
      await teacher.keyboard.press('Enter');
      const menu = teacher.getByRole('menu', { name: `Actions for ${name(users.first)}` });
      await menu.waitFor();
      assert.equal(await menuButton.getAttribute('aria-expanded'), 'true');
      const focused = () =>
        teacher.evaluate(`document.activeElement?.getAttribute('aria-label') ?? ''`) as Promise<string>;
      assert.equal(await focused(), `Mute mic of ${name(users.first)}`);
      await teacher.keyboard.press('ArrowDown');
      assert.equal(await focused(), `Turn off camera of ${name(users.first)}`);
      await teacher.keyboard.press('ArrowUp');
      await teacher.keyboard.press('ArrowUp');
      assert.equal(await focused(), `Remove ${name(users.first)}`, 'ArrowUp wraps to the last item');
      for (const colorScheme of ['light', 'dark'] as const) {
        await teacher.emulateMedia({ colorScheme });
        await axe(teacher, `people menu open (${colorScheme})`);
      }
      await saveScreenshot(teacher, 'people-menu');
      await teacher.emulateMedia({ colorScheme: 'light' });
      await teacher.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
      assert.equal(await focused(), `Actions for ${name(users.first)}`);

      // Remove asks first; Escape cancels and nothing happens.
      await teacher.keyboard.press('Enter');
      await menu.getByRole('menuitem', { name: `Remove ${name(users.first)}` }).click();
      const dialog = teacher.getByRole('dialog', { name: `Remove ${name(users.first)}?` });
      await dialog.waitFor();
      await axe(teacher, 'remove confirmation');
      await teacher.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await teacher.waitForTimeout(500);
      assert.equal(await first.locator('main[data-end]').count(), 0, 'Escape removed nobody');
      assert.equal(await focused(), `Actions for ${name(users.first)}`);

      // Confirmed: the student is out for the session and leaves the list.
      await menuButton.click();
      await menu.getByRole('menuitem', { name: `Remove ${name(users.first)}` }).click();
      await dialog.getByRole('button', { name: `Remove ${name(users.first)}` }).click();
      await first.getByRole('heading', { name: 'You were removed' }).waitFor();
      await rowCount(2);

      // Students get the same list, read-only.
      await second.locator('[data-control="people"]').click();
      const people = second.getByRole('region', { name: 'People (3)' });
      await people.waitFor();
      await people.getByRole('searchbox', { name: 'Search people' }).waitFor();
      assert.equal(await people.getByRole('button', { name: /^Actions for/ }).count(), 0);
      await axe(second, 'people list (student)');
    });
  });
});
