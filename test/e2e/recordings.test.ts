import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Database } from '../../src/db/connection.js';
import { createRecordingStore } from '../../src/db/recording-store.js';
import { projectRoot } from '../../src/paths.js';
import type { RecordingStore } from '../../src/recordings/recording-store.js';
import { assertNoSeriousViolations } from '../support/axe.js';
import { inPage, saveScreenshot } from '../support/browser.js';
import { makeRecording } from '../support/recordings.js';
import { LaunchedUser } from '../support/room-client.js';
import { useRoomPages } from '../support/room-pages.js';
import { openTestDatabase, useTestEnvironment } from '../support/test-tool.js';

/** Where the README's screenshots live (the e2e run also leaves copies in test-results/). */
const DOCS_SHOTS = path.join(projectRoot(), 'docs', 'screenshots');

/**
 * The Recordings tab in the launcher, on real MP4 files (ffmpeg; playback needs no Egress): a teacher lists
 * the class's recordings, plays one in the page (the video decodes frames), downloads it under the
 * activity's name, publishes it for a student who then finds it, and deletes it after confirming; axe clean
 * in light and dark, laid out in the LMS frame sizes and on a phone, in English and Spanish.
 */
describe('the Recordings view (headless Chromium, real files)', function () {
  this.timeout(180_000);
  const room = useRoomPages('recordings');
  let db: Database;
  let store: RecordingStore;

  before(async () => {
    db = await openTestDatabase(room.env);
    store = createRecordingStore(db.connection);
  });
  after(() => db?.close());

  async function shot(page: Page, name: string): Promise<void> {
    const file = await saveScreenshot(page, name);
    if (process.env.UPDATE_DOC_SCREENSHOTS) await copyFile(file, path.join(DOCS_SHOTS, `${name}.png`));
  }

  async function assertNoPageScrollX(page: Page, label: string): Promise<void> {
    const { scroll, client } = (await page.evaluate(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    )) as { scroll: number; client: number };
    assert.ok(scroll <= client, `${label}: the page scrolls sideways (${scroll} > ${client})`);
  }

  const openTab = async (page: Page, name = 'Recordings') => {
    await page.getByRole('tab', { name }).click();
    await page.getByRole('heading', { level: 2, name }).waitFor();
  };

  it('lists, plays, downloads, publishes and deletes a recording', async () => {
    const title = `Física 101 e2e ${process.pid}`;
    const activity = await LaunchedUser.createActivity(room.env.tool.url, {
      title,
      recording: { viewers: 'published', retentionDays: 90 },
    });
    const roomKey = (await (await LaunchedUser.launch(room.env.tool.url, 'instructor', activity)).joinGrant()).room;
    const dir = room.env.config.recordings.dir;
    const hour = 3600_000;
    const ready = await makeRecording(store, dir, {
      roomKey,
      seconds: 6,
      requestedAt: new Date(Date.now() - 2 * hour),
    });
    await makeRecording(store, dir, { roomKey, state: 'failed', requestedAt: new Date(Date.now() - 26 * hour) });
    await makeRecording(store, dir, { roomKey, state: 'recording' });

    const teacher = await room.launch('instructor', 'demo-instructor-1', {
      activity,
      viewport: { width: 1100, height: 700 },
    });
    const student = await room.launch('student', 'demo-student-01', {
      activity,
      viewport: { width: 390, height: 844 },
    });
    await room.withFailureShots([teacher, student], async () => {
      await openTab(teacher);
      const rows = teacher.locator('.recordings-table tbody tr');
      await rows.nth(2).waitFor();
      assert.deepEqual(
        await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status'))),
        ['recording', 'ready', 'failed'],
        'newest first',
      );
      const readyRow = teacher.locator(`tr[data-recording-id="${ready.recording.recordingId}"]`);
      assert.match(await readyRow.innerText(), /6 sec/);
      assert.match(await readyRow.innerText(), /Ready/);
      assert.match(await readyRow.innerText(), /Not published/);
      assert.match(await teacher.locator('[data-viewers]').innerText(), /once a teacher publishes it.*90 days/);
      await assertNoSeriousViolations(teacher, 'recordings list (light)');
      await teacher.emulateMedia({ colorScheme: 'dark' });
      await assertNoSeriousViolations(teacher, 'recordings list (dark)');
      await teacher.emulateMedia({ colorScheme: 'light' });

      // Play: the date opens the player, which takes the focus; the video decodes frames.
      await readyRow.getByRole('button', { name: /^Watch the recording of / }).click();
      const player = teacher.locator('section.recording-player');
      await player.waitFor();
      assert.equal(await teacher.evaluate('document.activeElement?.id'), 'recording-player-title');
      await teacher.waitForFunction(inPage("document.querySelector('.recording-player video')?.readyState >= 1"));
      await teacher.evaluate("document.querySelector('.recording-player video').muted = true");
      await teacher.evaluate("document.querySelector('.recording-player video').play()");
      await teacher.waitForFunction(
        inPage(
          "(() => { const v = document.querySelector('.recording-player video'); return v.readyState >= 2 && v.currentTime > 0.5 && v.videoWidth === 320; })()",
        ),
        undefined,
        { timeout: 20_000 },
      );
      const src = (await teacher.evaluate("document.querySelector('.recording-player video').currentSrc")) as string;
      assert.match(src, new RegExp(`/recordings/${ready.recording.recordingId.replace('.', '\\.')}\\?token=`));
      await teacher.evaluate("document.querySelector('.recording-player video').pause()");
      await assertNoSeriousViolations(teacher, 'recording player (light)');
      await shot(teacher, 'recordings');
      await teacher.emulateMedia({ colorScheme: 'dark' });
      await assertNoSeriousViolations(teacher, 'recording player (dark)');
      await shot(teacher, 'recordings-dark');
      await teacher.emulateMedia({ colorScheme: 'light' });

      // Download: the browser saves it under the activity's title and the recording's date.
      const link = player.getByRole('link', { name: /^Download the recording of / });
      const [download] = await Promise.all([teacher.waitForEvent('download'), link.click()]);
      assert.match(download.suggestedFilename(), new RegExp(`^${title} - \\d{4}-\\d\\d-\\d\\d \\d\\d\\.\\d\\d\\.mp4$`));
      assert.ok((await readFile(await download.path())).equals(await readFile(ready.file)), 'the file, whole');
      const href = (await link.getAttribute('href')) as string;
      const head = await fetch(href.replace(room.env.config.server.publicUrl, room.env.tool.url), { method: 'HEAD' });
      assert.match(
        head.headers.get('content-disposition') ?? '',
        /^attachment; filename="Fisica 101 e2e .*filename\*=UTF-8''F%C3%ADsica/,
      );

      // The student sees nothing until the teacher publishes it.
      await openTab(student);
      await student.getByText('No recordings have been published yet.').waitFor();
      await player.getByRole('checkbox', { name: 'Students can watch this recording' }).check();
      await teacher.getByText(/^Published: students can now watch the recording of /).waitFor();
      await readyRow.locator('td[data-published="true"]').waitFor();
      await student.reload();
      await student.waitForURL((url) => url.pathname === '/launch');
      await openTab(student);
      const studentRow = student.locator(`tr[data-recording-id="${ready.recording.recordingId}"]`);
      await studentRow.waitFor();
      assert.equal(await student.locator('.recordings-table tbody tr').count(), 1, 'only the published one');
      await studentRow.getByRole('button', { name: /^Watch the recording of / }).click();
      await student.waitForFunction(inPage("document.querySelector('.recording-player video')?.readyState >= 1"));
      assert.equal(await student.getByRole('button', { name: /^Delete/ }).count(), 0, 'students delete nothing');
      assert.equal(await student.getByRole('checkbox').count(), 0);
      await assertNoPageScrollX(student, 'phone 390x844');
      await assertNoSeriousViolations(student, 'recordings on a phone');
      await shot(student, 'recordings-phone');

      // The small LMS frame: the player and its actions fit, the table scrolls in its box.
      await teacher.setViewportSize({ width: 800, height: 500 });
      await assertNoPageScrollX(teacher, '800x500');
      const right = (await teacher.evaluate(
        "Math.max(...[...document.querySelectorAll('.recording-player, .table-box')].map((b) => b.getBoundingClientRect().right))",
      )) as number;
      assert.ok(right <= 800, `the player and the table fit the frame (right edge at ${right})`);
      await shot(teacher, 'recordings-800x500');
      await teacher.setViewportSize({ width: 1100, height: 700 });

      // Delete: asked first; Cancel keeps it; confirmed, the file goes and the row says so.
      const remove = player.getByRole('button', { name: /^Delete the recording of / });
      await remove.click();
      const dialog = teacher.getByRole('dialog', { name: 'Delete this recording?' });
      await dialog.waitFor();
      await assertNoSeriousViolations(teacher, 'delete confirmation');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.ok(existsSync(ready.file));
      await remove.click();
      await dialog.waitFor();
      await teacher.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await remove.click();
      await dialog.waitFor();
      assert.equal(await teacher.evaluate('document.activeElement?.textContent'), 'Cancel', 'Cancel has the focus');
      await dialog.getByRole('button', { name: 'Delete recording' }).click();
      await teacher.getByText(/^The recording of .* was deleted\.$/).waitFor();
      await teacher.locator(`tr[data-status="deleted"][data-recording-id="${ready.recording.recordingId}"]`).waitFor();
      assert.equal(await player.count(), 0, 'the player closed');
      assert.equal(await teacher.evaluate('document.activeElement?.id'), 'recordings-heading');
      assert.equal(existsSync(ready.file), false, 'the file is gone');

      // The student's list is empty again (the recording is gone for everyone).
      await student.reload();
      await student.waitForURL((url) => url.pathname === '/launch');
      await openTab(student);
      await student.getByText('No recordings have been published yet.').waitFor();
    });
  });

  it('renews its links before they expire: a paused player and the download link take fresh ones', async () => {
    // A tool whose links last 4 s (the launcher renews a quarter of a link's life before it ends).
    const short = await useTestEnvironment({ RECORDING_LINK_TTL_SECONDS: '4' });
    const activity = await LaunchedUser.createActivity(short.tool.url, {
      title: 'Renewal',
      recording: { viewers: 'course' },
    });
    const roomKey = (await (await LaunchedUser.launch(short.tool.url, 'instructor', activity)).joinGrant()).room;
    const made = await makeRecording(store, short.config.recordings.dir, { roomKey, seconds: 4 });
    const page = await room.launch('student', 'demo-student-03');
    const query = new URLSearchParams({ role: 'student', user: 'demo-student-03', locale: 'en-US', activity });
    await page.goto(`${short.tool.demoUrl}/platform/launch?${query}`);
    await page.waitForURL((url) => url.pathname === '/launch');
    await room.withFailureShots([page], async () => {
      await openTab(page);
      await page.getByRole('button', { name: /^Watch the recording of / }).click();
      await page.waitForFunction(inPage("document.querySelector('.recording-player video')?.readyState >= 1"));
      const state = async () =>
        (await page.evaluate(
          "({ src: document.querySelector('.recording-player video').currentSrc, href: document.querySelector('.recording-actions a').href })",
        )) as { src: string; href: string };
      const first = await state();
      await sleep(6000);
      const later = await state();
      assert.notEqual(later.src, first.src, 'the paused player took a fresh link');
      assert.notEqual(later.href, first.href, 'the download link is fresh');
      assert.equal((await fetch(first.src.replace(short.config.server.publicUrl, short.tool.url))).status, 403);
      // The fresh link plays.
      await page.evaluate(
        "(v => { v.muted = true; return v.play(); })(document.querySelector('.recording-player video'))",
      );
      await page.waitForFunction(
        inPage("(v => v.readyState >= 2 && v.currentTime > 0.3)(document.querySelector('.recording-player video'))"),
        undefined,
        { timeout: 20_000 },
      );
      assert.ok(made.sizeBytes > 0);
    });
  });

  it('is in Spanish for a Spanish launch, and absent for students where recordings are for teachers', async () => {
    const activity = await LaunchedUser.createActivity(room.env.tool.url, {
      title: 'Solo profesores',
      recording: { viewers: 'instructors' },
    });
    const roomKey = (await (await LaunchedUser.launch(room.env.tool.url, 'instructor', activity)).joinGrant()).room;
    await makeRecording(store, room.env.config.recordings.dir, { roomKey, seconds: 2 });
    const teacher = await room.launch('instructor', 'demo-instructor-1', { activity, locale: 'es-ES' });
    const student = await room.launch('student', 'demo-student-02', { activity });
    await room.withFailureShots([teacher, student], async () => {
      await openTab(teacher, 'Grabaciones');
      await teacher
        .getByText('Solo los profesores pueden ver las grabaciones de esta clase.', { exact: false })
        .waitFor();
      await teacher.locator('.recordings-table tbody tr[data-status="ready"]').waitFor();
      assert.match(await teacher.locator('.recordings-table').innerText(), /Lista/);
      await assertNoSeriousViolations(teacher, 'recordings in Spanish');
      await student.getByRole('tab', { name: 'Class' }).waitFor();
      assert.equal(await student.getByRole('tab', { name: 'Recordings' }).count(), 0);
    });
  });
});
