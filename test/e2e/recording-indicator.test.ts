import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { createRecordingStore } from '../../src/db/recording-store.js';
import type { Database } from '../../src/db/connection.js';
import { RECORDING_TOPIC } from '../../src/recordings/recording-jobs.js';
import { recordingIdOf, type Recording } from '../../src/recordings/recording.js';
import type { RecordingStore } from '../../src/recordings/recording-store.js';
import { assertNoSeriousViolations } from '../support/axe.js';
import { saveScreenshot } from '../support/browser.js';
import { LaunchedUser } from '../support/room-client.js';
import { useRoomPages } from '../support/room-pages.js';
import { openTestDatabase, testGateway } from '../support/test-tool.js';
import { freeTcpPort } from '../../src/dev/stack/ports.js';

/**
 * What everyone is told of a recording, in headless Chromium against the real SFU: the pre-join page's
 * notice (recorded now, or automatically once the class starts), the room's persistent "Recording" mark
 * and its announcement for a student and a teacher, and the teacher's "Recording stopped" with the reason.
 * The shared test stack records nothing (no Egress: the teacher's Record entry says why), so the recording
 * is written to the store as Egress's webhooks would leave it, and the room told as the tool tells it.
 */
describe('recording indicator (headless Chromium, real LiveKit)', function () {
  this.timeout(180_000);
  const room = useRoomPages('recording');
  const { withFailureShots } = room;
  let db: Database;
  let store: RecordingStore;
  before(async () => {
    db = await openTestDatabase(room.env);
    store = createRecordingStore(db.connection);
  });
  after(() => db?.close());

  async function join(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Join the class' }).click();
    await page.locator('.tile[data-local]').waitFor();
  }
  const axe = async (page: Page, label: string) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await assertNoSeriousViolations(page, `${label} (${colorScheme})`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  /** The room's live session, as the room API of a teacher of the activity sees it. */
  const liveSession = async (activity: string) => {
    const teacher = await LaunchedUser.launch(room.env.tool.url, 'instructor', activity);
    const status = await teacher.json<{ sessionId: string | null }>('GET', '/room');
    const { room: roomKey } = await teacher.joinGrant();
    assert.ok(status.sessionId, 'the class is live');
    return { roomKey, sessionId: status.sessionId };
  };
  const tellRoom = (roomKey: string, recordingId: string) =>
    testGateway(room.env).sendData(roomKey, { type: 'changed', kind: 'file', recordingId }, { topic: RECORDING_TOPIC });

  it('tells a student before joining and in the room, and the teacher when it stops, in both themes', async () => {
    const activity = await LaunchedUser.createActivity(room.env.tool.url, { title: 'Recorded class' });
    const teacher = await room.launch('instructor', 'rec-teacher', { activity });
    await withFailureShots([teacher], async () => {
      await join(teacher);
      // No Egress on this stack: the teacher's Record entry is there, unavailable, saying why.
      await teacher.getByRole('button', { name: 'More', exact: true }).click();
      const record = teacher.getByRole('menuitem', { name: /^Record \(unavailable/ });
      assert.equal(await record.innerText(), 'Record (unavailable: recording is not set up on this server)');
      assert.equal(await record.getAttribute('aria-disabled'), 'true');
      await teacher.keyboard.press('Escape');
      assert.equal(await teacher.getByTestId('recording-indicator').count(), 0);

      // The class is being recorded (as Egress's webhooks leave it: accepted, then active).
      const { roomKey, sessionId } = await liveSession(activity);
      const recordingId = recordingIdOf(sessionId, 'file', 1);
      const recording: Recording = {
        recordingId,
        kind: 'file',
        roomKey,
        sessionId,
        seq: 1,
        startedBy: { kind: 'leader', identity: 'u-teacher', name: 'Ada Lovelace' },
        audioOnly: false,
        requestedAt: new Date(),
        fileName: `${recordingId}.mp4`,
      };
      assert.equal(await store.create(recording), true);
      await store.mark({ recordingId, kind: 'egress', at: new Date(), egressId: `EG_${recordingId}` });
      await store.mark({ recordingId, kind: 'active', at: new Date() });
      await tellRoom(roomKey, recordingId);
      const mark = teacher.getByTestId('recording-indicator');
      await mark.getByText('Recording', { exact: true }).waitFor();
      await teacher.getByTestId('recording-announcement').getByText('This class is being recorded.').waitFor();
      await axe(teacher, 'teacher in a recorded class');

      // A student arriving is told on the pre-join page, before any of their media is recorded.
      const student = await room.launch('student', 'rec-student', { activity });
      const notice = student.getByTestId('recording-notice');
      await notice.waitFor();
      assert.match(await notice.innerText(), /^This class is being recorded\./);
      await axe(student, 'pre-join page of a recorded class');
      await saveScreenshot(student, 'recording-prejoin');
      await join(student);
      await student.getByTestId('recording-indicator').getByText('Recording', { exact: true }).waitFor();
      await student.getByTestId('recording-announcement').getByText('This class is being recorded.').waitFor();
      await axe(student, 'student in a recorded class');
      await saveScreenshot(student, 'recording-room');

      // Egress gives up mid-class: the teacher reads why and can record again; the student's mark goes.
      await store.mark({ recordingId, kind: 'failed', at: new Date(), error: 'The recorder stopped with an error.' });
      await tellRoom(roomKey, recordingId);
      const failure = teacher.getByTestId('recording-failure');
      await failure.getByText('Recording stopped.').waitFor();
      await failure.getByText('The recorder stopped with an error.').waitFor();
      await failure.getByRole('button', { name: 'Record again' }).waitFor();
      await student.getByTestId('recording-announcement').getByText('Recording stopped.').waitFor();
      assert.equal(await student.getByTestId('recording-indicator').count(), 0);
      assert.equal(await student.getByTestId('recording-failure').count(), 0, 'the reason is for teachers');
      await axe(teacher, 'teacher told that the recording stopped');
      await saveScreenshot(teacher, 'recording-stopped');
    });
  });

  it('says on the pre-join page that an activity records automatically (English and Spanish)', async () => {
    const activity = await LaunchedUser.createActivity(room.env.tool.url, {
      title: 'Auto-recorded class',
      recording: { auto: true },
    });
    const student = await room.launch('student', 'auto-rec-student', { activity });
    await student
      .getByTestId('recording-notice')
      .getByText(/recorded automatically once it starts/)
      .waitFor();
    await axe(student, 'pre-join page of an auto-recorded class');
    const estudiante = await room.launch('student', 'auto-rec-estudiante', { activity, locale: 'es-ES' });
    await estudiante
      .getByTestId('recording-notice')
      .getByText(/se graba automáticamente/)
      .waitFor();
    await axe(estudiante, 'pre-join page of an auto-recorded class, in Spanish');
  });
});

/**
 * A deployment that has Egress, whose Egress does not answer (its health port says it runs; the SFU has no
 * Egress behind it): the teacher's Record and Go live are offered, the Go live form takes the address and
 * the key (a password field), and both refusals are told in words, with "stopped" and a way to try again.
 */
describe('recording controls when the recorder does not answer (headless Chromium, real LiveKit)', function () {
  this.timeout(180_000);
  const overrides: Record<string, string> = {};
  let health: Server | undefined;
  // Before the suite's own hook: the tool it starts reads `overrides`.
  before(async () => {
    const port = await freeTcpPort();
    health = createServer((_req, res) => res.end('{}')).listen(port, '127.0.0.1');
    Object.assign(overrides, { RECORDING_ENABLED: 'true', EGRESS_HEALTH_URL: `http://127.0.0.1:${port}/` });
  });
  after(() => health?.close());
  const room = useRoomPages('recording-controls', overrides);

  it('offers Record and Go live, takes the stream key as a password, and says why each failed', async () => {
    const activity = await LaunchedUser.createActivity(room.env.tool.url, { title: 'Streamed class' });
    const teacher = await room.launch('instructor', 'stream-teacher', { activity });
    await room.withFailureShots([teacher], async () => {
      await teacher.getByRole('button', { name: 'Join the class' }).click();
      await teacher.locator('.tile[data-local]').waitFor();
      const more = teacher.getByRole('button', { name: 'More', exact: true });

      await more.click();
      await teacher.getByRole('menuitem', { name: 'Go live', exact: true }).click();
      const dialog = teacher.getByRole('dialog', { name: 'Go live' });
      await dialog.waitFor();
      const key = dialog.getByLabel('Stream key');
      assert.equal(await key.getAttribute('type'), 'password');
      await dialog.getByRole('textbox', { name: 'Server address' }).fill('http://live.example.com/app');
      await dialog.getByRole('button', { name: 'Go live' }).click();
      await dialog.getByText('Enter the server address: it starts with rtmp:// or rtmps://.').waitFor();
      for (const colorScheme of ['light', 'dark'] as const) {
        await teacher.emulateMedia({ colorScheme });
        await assertNoSeriousViolations(teacher, `Go live form (${colorScheme})`);
      }
      await teacher.emulateMedia({ colorScheme: 'light' });
      await dialog.getByRole('textbox', { name: 'Server address' }).fill('rtmps://live.example.com/app');
      await key.fill('sk_live_1234567890abcdef');
      await saveScreenshot(teacher, 'recording-go-live');
      await dialog.getByRole('button', { name: 'Go live' }).click();
      await dialog.getByText(/The recorder is not answering/).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      const streamFailure = teacher.getByTestId('recording-failure');
      await streamFailure.getByText('Live stream stopped.').waitFor();
      await streamFailure.getByRole('button', { name: 'Go live again' }).waitFor();
      await streamFailure.getByRole('button', { name: 'Dismiss' }).click();

      await more.click();
      await teacher.getByRole('menuitem', { name: 'Record', exact: true }).click();
      await teacher
        .getByTestId('recording-error')
        .getByText(/^That did not work: The recorder is not answering/)
        .waitFor();
      await teacher.getByTestId('recording-failure').getByText('Recording stopped.').waitFor();
      await teacher.getByTestId('recording-failure').getByRole('button', { name: 'Record again' }).waitFor();
      assert.equal(await teacher.getByTestId('recording-indicator').count(), 0);
      await assertNoSeriousViolations(teacher, 'teacher told that recording did not start');
    });
  });
  it('offers the class’s own stream target first, masked, and streams there when chosen', async () => {
    const classKey = 'sk_class_1234567890abcd';
    const activity = await LaunchedUser.createActivity(room.env.tool.url, {
      title: 'Class with a stream target',
      recording: { streamUrl: `rtmps://live.example.com/app/${classKey}` },
    });
    const teacher = await room.launch('instructor', 'target-teacher', { activity });
    await room.withFailureShots([teacher], async () => {
      await teacher.getByRole('button', { name: 'Join the class' }).click();
      await teacher.locator('.tile[data-local]').waitFor();
      await teacher.getByRole('button', { name: 'More', exact: true }).click();
      await teacher.getByRole('menuitem', { name: 'Go live', exact: true }).click();
      const dialog = teacher.getByRole('dialog', { name: 'Go live' });
      const own = dialog.getByRole('checkbox', {
        name: 'Use the class’s stream target (rtmps://live.example.com/app/****abcd)',
      });
      assert.equal(await own.isChecked(), true);
      assert.equal(await dialog.getByRole('textbox', { name: 'Server address' }).count(), 0, 'no address asked');
      assert.ok(!(await teacher.content()).includes(classKey), 'the key is not in the page');
      for (const colorScheme of ['light', 'dark'] as const) {
        await teacher.emulateMedia({ colorScheme });
        await assertNoSeriousViolations(teacher, `Go live form with the class's target (${colorScheme})`);
      }
      await teacher.emulateMedia({ colorScheme: 'light' });
      await saveScreenshot(teacher, 'recording-go-live-class-target');
      // Chosen: the server streams there (and here Egress does not answer).
      await dialog.getByRole('button', { name: 'Go live' }).click();
      await dialog.getByText(/The recorder is not answering/).waitFor();
      // Unchecked: an address of the teacher's own.
      await own.uncheck();
      await dialog.getByRole('textbox', { name: 'Server address' }).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });
  });
});
