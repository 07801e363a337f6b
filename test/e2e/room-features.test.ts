import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertNoSeriousViolations } from '../support/axe.js';
import { inPage, saveScreenshot } from '../support/browser.js';
import { readInboundStreams } from '../support/media-stats.js';
import { LaunchedUser, TestParticipant } from '../support/room-client.js';
import { useRoomPages, type LaunchOptions } from '../support/room-pages.js';

/** The shared screen's video element: its decoded size and playback position (a string: no DOM types here). */
const PLAYED = `(() => {
  const v = document.querySelector('[data-screen] video');
  return { width: v ? v.videoWidth : 0, time: v ? v.currentTime : 0 };
})()`;

/**
 * The room beyond media: chat over the data channel and the teacher's chat switch, screen share from a
 * fake display capture, the people list, and the launcher in Spanish. Real launches, real LiveKit.
 */
describe('room features (headless Chromium, real LiveKit)', function () {
  this.timeout(180_000);
  const room = useRoomPages('room-features');
  const { withFailureShots } = room;

  /** A class of its own (added through deep linking), so the tests never see each other's people. */
  const newClass = (title: string) => LaunchedUser.createActivity(room.env.tool.url, { title });

  const launch = (role: 'instructor' | 'student', user: string, activity: string, options: LaunchOptions = {}) =>
    room.launch(role, user, { ...options, activity });

  async function join(page: Page, button = 'Join the class'): Promise<void> {
    await page.getByRole('button', { name: button }).click();
    await page.locator('.tile[data-local]').waitFor();
  }

  it('chat reaches the class; the teacher turns it off and the SFU stops the student', async () => {
    const activity = await newClass('Chat class');
    const teacher = await launch('instructor', 'chat-teacher', activity);
    const student = await launch('student', 'chat-student', activity);
    await withFailureShots([teacher, student], async () => {
      await join(teacher);
      await join(student);
      await teacher.locator('.tile:not([data-local])').waitFor();

      // Students start with the chat open, teachers with their controls.
      const message = student.getByRole('textbox', { name: 'Message' });
      await message.fill('Hello from the back row');
      await student.getByRole('button', { name: 'Send' }).click();
      await student.getByRole('log', { name: 'Chat messages' }).getByText('Hello from the back row').waitFor();
      await teacher.locator('[data-control="chat"]', { hasText: '1 new' }).click();
      const log = teacher.getByRole('log', { name: 'Chat messages' });
      await log.getByText('Hello from the back row').waitFor();
      assert.match(await log.innerText(), /Demo chat-student/);
      await teacher.getByRole('textbox', { name: 'Message' }).fill('Welcome!');
      await teacher.keyboard.press('Enter');
      await student.getByRole('log', { name: 'Chat messages' }).getByText('Welcome!').waitFor();
      for (const colorScheme of ['light', 'dark'] as const) {
        await student.emulateMedia({ colorScheme });
        await assertNoSeriousViolations(student, `room with chat (student, ${colorScheme})`);
      }
      await student.emulateMedia({ colorScheme: 'light' });
      await saveScreenshot(student, 'room-chat');

      // Chat off: the student's permission loses data, the composer says why.
      await teacher.locator('[data-control="people"]').click();
      await teacher.getByRole('button', { name: 'Turn chat off' }).click();
      await teacher.getByRole('button', { name: 'Turn chat on' }).waitFor();
      await student.getByText('Your teacher turned chat off.').waitFor();
      assert.equal(await student.getByRole('textbox', { name: 'Message' }).count(), 0);
      await teacher.getByRole('button', { name: 'Turn chat on' }).click();
      await student.getByRole('textbox', { name: 'Message' }).waitFor();
    });
  });

  it('the teacher shares a screen; the student sees it large and it goes away when sharing stops', async () => {
    const activity = await newClass('Screen class');
    const teacher = await launch('instructor', 'screen-teacher', activity);
    const student = await launch('student', 'screen-student', activity);
    await withFailureShots([teacher, student], async () => {
      await join(teacher);
      await join(student);
      assert.equal(await student.locator('[data-control="screen"]').count(), 0, 'students have no share button');

      await teacher.getByRole('button', { name: 'Share screen' }).click();
      await teacher.getByRole('button', { name: 'Stop sharing' }).waitFor();
      await student.locator('[data-screen] video').waitFor();
      await student.locator('[data-layout="speaker"]').waitFor();
      // Frames arrive: the element has a size and its playback time moves.
      const played = () => student.evaluate(PLAYED) as Promise<{ width: number; time: number }>;
      await student.waitForFunction(inPage(`(${PLAYED}).width > 0`));
      const first = await played();
      await student.waitForTimeout(1500);
      const second = await played();
      assert.ok(
        second.width > 0 && second.time > first.time,
        `screen video did not play: ${JSON.stringify([first, second])}`,
      );
      assert.equal(
        await student.locator('[data-screen]').getAttribute('aria-label'),
        'Screen shared by Demo screen-teacher',
      );
      await saveScreenshot(student, 'room-screen-share');

      await teacher.getByRole('button', { name: 'Stop sharing' }).click();
      await student.locator('[data-screen]').waitFor({ state: 'detached' });
      await student.locator('[data-layout="gallery"]').waitFor();
    });
  });

  it('people list: everyone with role, state and connection quality; speaker view on request', async () => {
    const activity = await newClass('People class');
    const teacher = await launch('instructor', 'people-teacher', activity);
    const student = await launch('student', 'people-student', activity);
    await withFailureShots([teacher, student], async () => {
      await join(teacher);
      await join(student);
      await student.locator('[data-control="people"]').click();
      const people = student.getByRole('region', { name: 'People (2)' });
      await people.waitFor();
      const rows = people.locator('li[data-identity]');
      assert.equal(await rows.count(), 2);
      assert.match(await rows.nth(0).innerText(), /Demo people-student \(you\)\s*Student/);
      await rows.nth(1).getByText('Teacher', { exact: true }).waitFor();
      await rows.nth(1).locator('[data-quality]').waitFor();

      await student.getByRole('button', { name: 'Raise hand' }).click();
      await people.getByText('Hand 1').waitFor();
      await student.getByText('Your hand is up: number 1 in the queue.').waitFor();
      await teacher.getByRole('heading', { name: 'Raised hands (1)' }).waitFor();

      // Layout and devices are in the control bar's More menu.
      const more = async (item: string) => {
        await student.getByRole('button', { name: 'More', exact: true }).click();
        await student
          .getByRole('menu', { name: 'More' })
          .getByRole(/view/.test(item) ? 'menuitemradio' : 'menuitem', { name: item })
          .click();
      };
      await more('Speaker view');
      await student.locator('[data-layout="speaker"] .tile.featured').waitFor();
      assert.equal(
        await student.locator('.tile.featured').getAttribute('data-identity'),
        await teacher.locator('.tile[data-local]').getAttribute('data-identity'),
      );
      await more('Gallery view');
      await student.locator('[data-layout="gallery"]').waitFor();

      // Switching the microphone in the room moves the live track; nothing fails.
      await more('Devices');
      const microphones = student.getByRole('group', { name: 'Devices' }).getByLabel('Microphone');
      await microphones.locator('option').nth(1).waitFor({ state: 'attached' });
      const second = await microphones.locator('option').nth(1).getAttribute('value');
      await microphones.selectOption(second ?? '');
      await student.waitForFunction(
        inPage(`document.querySelector('#device-audioinput').value === ${JSON.stringify(second)}`),
      );
      assert.equal(await student.getByRole('group', { name: 'Devices' }).getByRole('alert').count(), 0);
      assert.equal(await student.locator('[data-control="microphone"]').getAttribute('aria-pressed'), 'true');
      // One theme each (the accessibility suite covers both themes of the room): axe is slow beside live media.
      await assertNoSeriousViolations(student, 'room people list (student, light)');
      await teacher.emulateMedia({ colorScheme: 'dark' });
      await assertNoSeriousViolations(teacher, 'leader panel with raised hands (dark)');
    });
  });

  it('a crowded class pages its tiles, and the SFU sends video only for the page on screen', async () => {
    const activity = await newClass('Crowded class');
    // Seven people with cameras (a teacher first, so students may join), from the native SDK.
    const publishers: TestParticipant[] = [];
    try {
      for (const [role, user] of [
        ['instructor', 'crowd-teacher'],
        ...[1, 2, 3, 4, 5, 6].map((i) => ['student', `crowd-${i}`]),
      ]) {
        const launched = await LaunchedUser.launch(room.env.tool.url, role as 'instructor' | 'student', activity, user);
        const p = await TestParticipant.connect(await launched.joinGrant());
        publishers.push(p);
        await p.publishCamera();
      }
      // A small frame: fewer tiles a page than the eight people.
      const student = await launch('student', 'crowd-viewer', activity, { viewport: { width: 320, height: 400 } });
      await withFailureShots([student], async () => {
        await join(student);
        await student.getByText('Page 1 of 2').waitFor();
        const first = await student.locator('.tile').count();
        assert.ok(first >= 2 && first < 8, `${first} tiles on page 1`);

        /** How many inbound video streams decode new frames over ~2 s. */
        const flowing = async (): Promise<number> => {
          const frames = async () =>
            new Map((await readInboundStreams(student)).filter((s) => s.kind === 'video').map((s) => [s.key, s.units]));
          const before = await frames();
          await student.waitForTimeout(2000);
          return [...(await frames())].filter(([key, units]) => units > (before.get(key) ?? 0)).length;
        };
        /** Samples until the count settles at `expected` (adaptive stream pauses hidden tracks after a moment). */
        const settlesAt = async (expected: number): Promise<void> => {
          const seen: number[] = [];
          for (let i = 0; i < 8; i++) {
            seen.push(await flowing());
            if (seen.at(-1) === expected) return;
          }
          assert.fail(`video streams decoding: ${seen.join(', ')}; expected ${expected} (the tiles on screen)`);
        };
        // Your own tile is on page 1: it receives no video.
        await settlesAt(first - 1);
        await saveScreenshot(student, 'room-crowded-page-1');

        await student.getByRole('button', { name: 'Next page' }).click();
        await student.getByText('Page 2 of 2').waitFor();
        assert.equal(await student.locator('.tile').count(), 8 - first);
        await settlesAt(8 - first);
      });
    } finally {
      await Promise.all(publishers.map((p) => p.disconnect()));
    }
  });

  it('speaks the language of the launch: a student launched in Spanish gets the Spanish launcher and room', async () => {
    const activity = await newClass('Clase de español');
    const teacher = await launch('instructor', 'es-teacher', activity);
    const student = await launch('student', 'es-student', activity, { locale: 'es-ES' });
    await withFailureShots([teacher, student], async () => {
      await join(teacher);
      await student.getByRole('button', { name: 'Unirme a la clase' }).waitFor();
      assert.equal(await student.locator('html').getAttribute('lang'), 'es');
      await join(student, 'Unirme a la clase');
      await student.getByRole('button', { name: 'Levantar la mano' }).click();
      await student.getByRole('button', { name: 'Bajar la mano' }).waitFor();
      assert.match((await student.locator('.tile:not([data-local])').getAttribute('aria-label')) ?? '', /, Docente/);
      await student.getByRole('textbox', { name: 'Mensaje' }).waitFor();
      // The teacher's own launch stays in English.
      await teacher.getByRole('button', { name: 'Lower hand of Demo es-student' }).waitFor();
      await assertNoSeriousViolations(student, 'room in Spanish');
      await saveScreenshot(student, 'room-spanish');
    });
  });
});
