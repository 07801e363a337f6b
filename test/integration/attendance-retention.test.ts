import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createAttendanceStore, attendanceRetentionIndexes } from '../../src/db/attendance-store.js';
import { auditRetentionIndexes, createAuditStore } from '../../src/db/audit-store.js';
import { startCleanupJob } from '../../src/db/cleanup-job.js';
import type { Database } from '../../src/db/connection.js';
import { ensureIndexes } from '../../src/db/indexes.js';
import { retentionOf } from '../../src/db/retention.js';
import { createRoomStore, EVENTS, FACTS, roomRetentionIndexes, SESSIONS } from '../../src/db/room-store.js';
import { createLogger } from '../../src/log.js';
import type { RoomOwner } from '../../src/rooms/room-owner.js';
import { openTestDatabase, useTestEnvironment } from '../support/test-tool.js';

const DAY_MS = 24 * 60 * 60_000;

/** attendance.retentionDays: a class session and everything recorded of it is purged once it is that old. */
describe('attendance retention', function () {
  this.timeout(60_000);
  const logger = createLogger('silent');
  const retention = retentionOf(1);
  let db: Database;
  before(async () => {
    db = await openTestDatabase(await useTestEnvironment());
  });
  after(() => db?.close());

  it("purges a session's joins, leaves, control facts, SFU list, final marker and audit by their bucket; old documents once", async () => {
    const specs = [
      ...roomRetentionIndexes(retention),
      ...attendanceRetentionIndexes(retention),
      ...auditRetentionIndexes(retention),
    ];
    const result = await ensureIndexes(db.connection, specs, logger);
    if (result.ttlSupported) {
      // Real MongoDB (MONGODB_URI given): the TTL indexes do the purging.
      for (const spec of specs) {
        const indexes = await db.connection.collection(spec.collection).indexes();
        assert.equal(indexes.find((i) => i.name === spec.name)?.expireAfterSeconds, retention.seconds, spec.name);
      }
      return;
    }
    assert.deepEqual(
      result.expiryRules.map((r) => `${r.collection}.${r.field}:${r.maxAgeSeconds}:${r.bucketed}`).sort(),
      [
        'attendance_finals.at:86400:true',
        'attendance_snapshots.at:86400:true',
        'participant_events.at:86400:true',
        'room_audit.at:86400:true',
        'room_control_facts.at:86400:true',
        'room_sessions.startedAt:86400:true',
      ],
    );

    const rooms = createRoomStore(db.connection, { retentionDays: 1 });
    const attendance = createAttendanceStore(db.connection, { retentionDays: 1 });
    const audit = createAuditStore(db.connection, { retentionDays: 1 });
    const t0 = Date.now();
    const run = randomUUID().slice(0, 8);
    /** A class at `at`: opened, one join, a leader action, ended, the SFU's list, made final. */
    const classAt = async (name: string, at: Date) => {
      const owner: RoomOwner = { kind: 'space', apiKeyId: `key_${run}`, spaceId: name };
      const key = `lc-retention-${run}-${name}`;
      await rooms.ensure({ key, owner });
      const { sessionId } = await rooms.openClassSession(key, undefined, at);
      const identity = `s-${run}${name}`;
      await rooms.recordParticipant({
        eventId: `${key}:join`,
        roomKey: key,
        sessionId,
        identity,
        name: 'Ada',
        kind: 'joined',
        at,
      });
      await rooms.change(key, { kind: 'muted', identity, source: 'microphone', value: true }, at);
      await audit.append({ roomKey: key, sessionId, actor: `t-${run}`, action: 'mute', target: identity, at });
      await rooms.closeClassSession(key, new Date(at.getTime() + 10_000));
      await attendance.saveSnapshot(sessionId, { at, present: [{ identity, name: 'Ada' }] });
      await attendance.markFinal(sessionId, at);
      return sessionId;
    };
    // Falls due 30 s from now; the other class is from today.
    const old = await classAt('old', new Date(t0 - DAY_MS + 30_000));
    const fresh = await classAt('fresh', new Date(t0));
    // Stored before documents carried a bucket: only the range pass at start finds it.
    const legacyId = `legacy-${run}`;
    await db.connection.collection(EVENTS).insertOne({
      eventId: legacyId,
      roomKey: 'lc-legacy',
      identity: 'x',
      kind: 'joined',
      at: new Date(t0 - 2 * DAY_MS),
    });

    const stored = async (sessionId: string) => ({
      session: (await attendance.session(sessionId)) !== undefined,
      facts: (await attendance.factsOf(sessionId)).length,
      controls: await db.connection.collection(FACTS).countDocuments({ sessionId }),
      snapshot: (await attendance.snapshotOf(sessionId)) !== undefined,
      final: (await attendance.finalAt(sessionId)) !== undefined,
      audit: await db.connection.collection('room_audit').countDocuments({ sessionId }),
    });
    const all = { session: true, facts: 1, controls: 3, snapshot: true, final: true, audit: 1 };
    const none = { session: false, facts: 0, controls: 0, snapshot: false, final: false, audit: 0 };
    assert.deepEqual(await stored(old), all, 'opened, muted and closed are its control facts');

    const job = startCleanupJob(db.connection, result.expiryRules, 60_000, logger);
    try {
      await job.runOnce(new Date(t0));
      assert.equal(await db.connection.collection(EVENTS).countDocuments({ eventId: legacyId }), 0);
      assert.deepEqual(await stored(old), all, 'not due yet');

      await job.runOnce(new Date(t0 + 150_000));
      assert.deepEqual(await stored(old), none);
      assert.deepEqual(await stored(fresh), all);
      assert.equal(await db.connection.collection(SESSIONS).countDocuments({ sessionId: old }), 0);
    } finally {
      await job.stop();
    }
  });
});
