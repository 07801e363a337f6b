/** The recordings domain on fakes, for unit tests: a live class (teacher and student), Egress in memory, a log. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { createReconciler, type ReconcileDeps } from '../../../src/recordings/reconcile.js';
import { createRecordingJobs, type RecordingEvent } from '../../../src/recordings/recording-jobs.js';
import { createRecordings, type Availability } from '../../../src/recordings/recordings.js';
import type { ActivitySettings } from '../../../src/rooms/activity-settings.js';
import { FakeRecorder, MemoryRecordingStore } from './recording-store.js';
import { fakeRooms } from './rooms.js';

/** The recordings domain on fakes: a live class (teacher and student), Egress in memory, a captured log. */
export async function recordedClass(
  settings: Partial<ActivitySettings> = {},
  options: { startTimeoutMs?: number } = {},
) {
  const f = fakeRooms(settings);
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const store = new MemoryRecordingStore();
  const recorder = new FakeRecorder();
  let availability: Availability = { available: true };
  const events: RecordingEvent[] = [];
  const jobs = createRecordingJobs({
    store,
    recorder,
    rooms: f.store,
    outputOf: (fileName) => ({ filepath: `/srv/recordings/${fileName}` }),
    templateUrl: 'https://tool.test/recorder',
    ...options,
    push: (roomKey, payload) => f.livekit.sendData(roomKey, payload, { topic: 'recording' }),
    onEvent: async (e) => void events.push(e),
    logger,
    now: f.now,
  });
  const recordings = createRecordings({
    store,
    jobs,
    rooms: { ensureRoom: (m) => f.rooms.ensureRoom(m), latestClassSession: (k) => f.store.latestClassSession(k) },
    audit: f.audit,
    settingsOf: async () => f.member('instructor', 'x').settings,
    availability: async () => availability,
    logger,
    now: f.now,
  });
  const teacher = f.member('instructor', 'teacher');
  const student = f.member('participant', 'student');
  await f.connect(teacher);
  const session = await f.store.openClassSession(f.roomKey, undefined, f.now());
  const room = async () => (await f.store.get(f.roomKey))!;
  return {
    f,
    store,
    recorder,
    jobs,
    recordings,
    events,
    lines,
    teacher,
    student,
    session,
    room,
    setAvailability: (a: Availability) => void (availability = a),
    status: async () => recordings.statusOf(await room(), true),
    /** A reconcile pass over this class's store and Egress, on its clock (`options`: Egress's health, limits). */
    newReconciler: (options: Partial<ReconcileDeps> = {}) =>
      createReconciler({
        store,
        jobs,
        recorder,
        rooms: f.store,
        logger: pino({ level: 'silent' }),
        now: f.now,
        ...options,
      }),
  };
}
