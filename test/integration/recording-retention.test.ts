import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { createAuditStore } from '../../src/db/audit-store.js';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { createRecordingClaims, createRecordingStore } from '../../src/db/recording-store.js';
import { createLogger } from '../../src/log.js';
import { openRecordingsFolder } from '../../src/recordings/recording-files.js';
import { createRecordingLibrary } from '../../src/recordings/recording-library.js';
import { createRecordingLinks } from '../../src/recordings/recording-links.js';
import { createRecordingRetention } from '../../src/recordings/recording-retention.js';
import type { RecordingStore } from '../../src/recordings/recording-store.js';
import { makeRecording, type MadeRecording } from '../support/recordings.js';
import { LaunchedUser, waitUntil } from '../support/room-client.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Retention of recordings: the deployment's recordings.retentionDays, an activity's shorter one, the tools'
 * own job (every 2 s in tests, in every tool process of the suite at once) and two more jobs on connections
 * of their own racing it; a deletion a crash left halfway is finished by the next pass.
 */
describe('recording retention', function () {
  this.timeout(90_000);
  let env: TestEnvironment;
  const dbs: Database[] = [];
  let store: RecordingStore;
  let dir: string;
  const logger = createLogger('warn');

  before(async () => {
    env = await useTestEnvironment();
    const open = () =>
      openDatabase({ uri: env.stack.mongoUri, serverSelectionTimeoutMs: 2000, logger: createLogger('silent') });
    dbs.push(await open(), await open());
    store = createRecordingStore(dbs[0]!.connection);
    dir = env.config.recordings.dir;
  });
  after(() => Promise.all(dbs.map((db) => db.close())));

  const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);
  const roomOf = async (recording: Record<string, unknown>) => {
    const activity = await LaunchedUser.createActivity(env.tool.url, { title: 'Retention', recording });
    return (await (await LaunchedUser.launch(env.tool.url, 'instructor', activity)).joinGrant()).room;
  };
  const auditOf = (id: string) => dbs[0]!.connection.collection('room_audit').find({ target: id }).toArray();
  const gone = async (m: MadeRecording) => !(await store.get(m.recording.recordingId)) && !existsSync(m.file);

  /**
   * A retention job as another tool process would run it: its own connection, store, claims and library;
   * `aheadDays` runs its clock that far ahead (what it sees due, the tools' own jobs do not yet).
   */
  function retentionJob(db: Database, aheadDays = 0) {
    const jobStore = createRecordingStore(db.connection);
    const library = createRecordingLibrary({
      store: jobStore,
      audit: createAuditStore(db.connection),
      files: openRecordingsFolder(dir),
      links: createRecordingLinks({ key: new Uint8Array(32), ttlSeconds: 60, publicUrl: env.tool.url }),
      retentionDays: env.config.recordings.retentionDays,
      logger,
    });
    return {
      library,
      job: createRecordingRetention({
        store: jobStore,
        claims: createRecordingClaims(db.connection),
        recordings: library,
        settingsOf: async () => undefined,
        retentionDays: env.config.recordings.retentionDays,
        pollMs: 60_000,
        logger,
        now: () => new Date(Date.now() + aheadDays * DAY_MS),
      }),
    };
  }

  it("removes recordings past the deployment's or the activity's retention, files first, and keeps fresh ones", async () => {
    const days = env.config.recordings.retentionDays;
    const plain = await roomOf({ viewers: 'course' });
    const short = await roomOf({ viewers: 'course', retentionDays: 2 });
    // An activity at the deployment's limit (deep linking refuses a longer one; one kept from before the
    // deployment lowered its limit is held to it too) loses them with the deployment's.
    const long = await roomOf({ viewers: 'course', retentionDays: days });
    const old = await makeRecording(store, dir, { roomKey: plain, requestedAt: daysAgo(days + 1) });
    const fresh = await makeRecording(store, dir, { roomKey: plain, requestedAt: new Date() });
    const threeDaysPlain = await makeRecording(store, dir, { roomKey: plain, requestedAt: daysAgo(3) });
    const threeDaysShort = await makeRecording(store, dir, { roomKey: short, requestedAt: daysAgo(3) });
    const oneDayShort = await makeRecording(store, dir, { roomKey: short, requestedAt: daysAgo(1.5) });
    const oldLong = await makeRecording(store, dir, { roomKey: long, requestedAt: daysAgo(days + 1) });
    const oldFailed = await makeRecording(store, dir, {
      roomKey: plain,
      requestedAt: daysAgo(days + 2),
      state: 'failed',
    });
    const oldStream = await makeRecording(store, dir, {
      roomKey: plain,
      requestedAt: daysAgo(days + 2),
      kind: 'stream',
    });
    // Still being written (for all the store knows): left alone until a class could not have lasted so long.
    const running = await makeRecording(store, dir, { roomKey: short, requestedAt: daysAgo(3), state: 'recording' });
    const removed = [old, threeDaysShort, oldLong, oldFailed, oldStream, running];
    const names = new Map(
      Object.entries({ old, threeDaysShort, oldLong, oldFailed, oldStream, running }).map(([k, m]) => [m, k]),
    );
    const kept = [fresh, threeDaysPlain, oneDayShort];

    // The tools' own jobs (every 2 s) and two more, racing them on connections of their own.
    const jobs = dbs.map(retentionJob);
    await Promise.all(jobs.map(({ job }) => job.runOnce()));
    let left: Array<string | undefined> = [];
    await waitUntil(
      async () => {
        const still = await Promise.all(removed.map(async (m) => ((await gone(m)) ? '' : names.get(m))));
        left = still.filter(Boolean);
        return left.length === 0;
      },
      20_000,
      () => `the old recordings removed (left: ${left.join(', ')})`,
    );
    for (const m of removed) {
      const entries = await auditOf(m.recording.recordingId);
      assert.equal(entries.length, 1, `one audit entry for ${m.recording.recordingId}`);
      assert.equal(entries[0]?.actor, 'retention');
      assert.equal(entries[0]?.action, 'recording.deleted');
      assert.deepEqual((await store.facts([m.recording.recordingId])).get(m.recording.recordingId), []);
    }
    for (const m of kept) {
      assert.ok(await store.get(m.recording.recordingId), `${m.recording.recordingId} kept`);
      assert.ok(existsSync(m.file), `${m.file} kept`);
      assert.equal((await auditOf(m.recording.recordingId)).length, 0);
    }
  });

  it('finishes a deletion that a crash left halfway (file gone, or marked and audited, but the record kept)', async () => {
    const room = await roomOf({ viewers: 'course' });
    // Due for a job whose clock runs a retention period (less a day) ahead; the tools' own jobs leave them.
    const fileOnly = await makeRecording(store, dir, { roomKey: room, requestedAt: daysAgo(2) });
    const markedOnly = await makeRecording(store, dir, { roomKey: room, requestedAt: daysAgo(2) });
    const { library, job } = retentionJob(dbs[1]!, env.config.recordings.retentionDays - 1);
    // A crash right after the file went: nothing else done.
    await unlink(fileOnly.file);
    // A crash after the file, the deleted fact and the audit entry: only the record is left.
    assert.equal(await library.erase(markedOnly.recording, 'retention'), true);
    assert.equal(existsSync(markedOnly.file), false);
    assert.ok(await store.get(markedOnly.recording.recordingId));
    assert.ok((await job.runOnce()) >= 2);
    for (const m of [fileOnly, markedOnly]) {
      assert.ok(await gone(m));
      assert.equal((await auditOf(m.recording.recordingId)).length, 1, 'audited once');
    }
  });

  it('lets one holder claim a recording at a time, and another take over an expired claim', async () => {
    const [a, b] = dbs.map((db) => createRecordingClaims(db.connection));
    const id = `ses_claims${Date.now()}.r1`;
    const now = new Date();
    const until = new Date(now.getTime() + 60_000);
    const first = await Promise.all([
      a!.claim('retention', id, now, until, 'A'),
      b!.claim('retention', id, now, until, 'B'),
    ]);
    assert.deepEqual([...first].sort(), [false, true], 'one of two racing holders');
    const [winner, loser] = first[0] ? (['A', 'B'] as const) : (['B', 'A'] as const);
    const later = new Date(now.getTime() + 30_000);
    assert.equal(await b!.claim('retention', id, later, until, loser), false, 'held by the other');
    assert.equal(await b!.claim('retention', id, later, until, winner), true, 'its holder may go on');
    // Its holder crashed: once the lease has run out, the next try takes it.
    const expired = new Date(until.getTime() + 1);
    assert.equal(await a!.claim('retention', id, expired, new Date(until.getTime() + 60_000), loser), true);
    assert.equal(await b!.claim('retention', id, expired, new Date(until.getTime() + 60_000), winner), false);
  });
});
