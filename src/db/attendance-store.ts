import type { Connection } from 'mongoose';
import type { AttendanceStore, PendingFinal } from '../attendance/attendance-store.js';
import type { AttendanceFact, SfuSnapshot } from '../attendance/attendance.js';
import type { ClassSessionInfo } from '../rooms/room-store.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { looseSchema, modelOf, strip } from './models.js';
import { retentionOf, type Retention } from './retention.js';
// Written by the room store; attendance only reads them (same model names, so one model per connection).
import { EVENTS, SESSIONS } from './room-store.js';

/** Insert-only: `_id` is `<sessionId>:<ms>` (snapshots), `<sessionId>` (final markers, pending). */
const SNAPSHOTS = 'attendance_snapshots';
const FINALS = 'attendance_finals';
const PENDING = 'attendance_pending';

export const ATTENDANCE_INDEXES: readonly IndexSpec[] = [
  { collection: SNAPSHOTS, keys: { sessionId: 1 }, name: 'session' },
];

/** Snapshots and final markers expire with their session's facts (attendance.retentionDays). */
export function attendanceRetentionIndexes(retention: Retention): IndexSpec[] {
  return [retention.index(SNAPSHOTS, 'at'), retention.index(FINALS, 'at')];
}

interface SnapshotDoc {
  _id: string;
  sessionId: string;
  at: Date;
  present: Array<{ identity: string; name: string; joinedAt?: Date }>;
}

export function createAttendanceStore(
  connection: Connection,
  options: { retentionDays?: number } = {},
): AttendanceStore {
  const retention = retentionOf(options.retentionDays);
  const model = (collection: string, name: string) => modelOf(connection, name, () => looseSchema(collection));
  const Sessions = model(SESSIONS, 'ClassSession');
  const Events = model(EVENTS, 'ParticipantEvent');
  const Snapshots = modelOf<SnapshotDoc>(connection, 'AttendanceSnapshot', () =>
    looseSchema(SNAPSHOTS, { _id: String }),
  );
  const Finals = modelOf<{ _id: string; at: Date }>(connection, 'AttendanceFinal', () =>
    looseSchema(FINALS, { _id: String }),
  );
  const Pending = modelOf<PendingFinal & { _id: string }>(connection, 'AttendancePending', () =>
    looseSchema(PENDING, { _id: String }),
  );
  const info = (
    doc: ClassSessionInfo & { peakParticipants?: unknown; present?: unknown; expiryBucket?: unknown },
  ): ClassSessionInfo => {
    const { peakParticipants: _p, present: _present, expiryBucket: _b, ...rest } = strip(doc);
    return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)) as unknown as ClassSessionInfo;
  };

  return {
    async sessionsOf(roomKey, limit) {
      // Limit 0 is none. One indexed equality; FerretDB sorts the room's sessions after reading them.
      const docs = await Sessions.find({ roomKey })
        .sort({ startedAt: -1 })
        .limit(limit ?? 0)
        .lean<ClassSessionInfo[]>();
      return docs.map(info);
    },
    async session(sessionId) {
      const doc = await Sessions.findOne({ sessionId }).lean<ClassSessionInfo>();
      return doc ? info(doc) : undefined;
    },
    async activeSessions({ identity, roomKeys, from, to, limit, factLimit }) {
      if (identity === undefined && !roomKeys?.length) return [];
      const at = { ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) };
      // By index: the person's facts (identity_at), or the rooms' (room_at, one range per room on MongoDB).
      const filter = {
        ...(identity !== undefined ? { identity } : { roomKey: { $in: roomKeys } }),
        ...(from || to ? { at } : {}),
      };
      const docs = await Events.find(filter, { sessionId: 1, roomKey: 1 })
        .sort({ at: -1 })
        .limit(factLimit)
        .lean<Array<{ sessionId?: string; roomKey: string }>>();
      const found = new Map<string, string>();
      for (const d of docs) if (d.sessionId && !found.has(d.sessionId)) found.set(d.sessionId, d.roomKey);
      return [...found].slice(0, limit).map(([sessionId, roomKey]) => ({ sessionId, roomKey }));
    },
    async factsOf(sessionId) {
      const docs = await Events.find({ sessionId }).lean<AttendanceFact[]>();
      return docs.map((d) => {
        const fact = strip(d) as AttendanceFact & { roomKey?: string; expiryBucket?: number };
        const { roomKey: _room, expiryBucket: _b, ...rest } = fact;
        return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)) as unknown as AttendanceFact;
      });
    },
    async saveSnapshot(sessionId, snapshot) {
      await insertOnce(() =>
        Snapshots.create({
          _id: `${sessionId}:${snapshot.at.getTime()}`,
          sessionId,
          at: snapshot.at,
          present: snapshot.present.map((p) => ({ ...p })),
          ...retention.fields(snapshot.at),
        }),
      );
    },
    async snapshotOf(sessionId) {
      const docs = await Snapshots.find({ sessionId }).lean<SnapshotDoc[]>();
      const latest = docs.filter((d) => d.present.length > 0).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
      if (!latest) return undefined;
      const snapshot: SfuSnapshot = {
        at: latest.at,
        present: latest.present.map((p) => ({
          identity: p.identity,
          name: p.name,
          ...(p.joinedAt ? { joinedAt: p.joinedAt } : {}),
        })),
      };
      return snapshot;
    },
    async markPending(pending) {
      await insertOnce(() => Pending.create({ _id: pending.sessionId, ...pending }));
    },
    async pending(limit) {
      const docs = await Pending.find({}).limit(limit).lean<Array<PendingFinal & { _id: string }>>();
      return docs.map((d) => ({ sessionId: d.sessionId, roomKey: d.roomKey, endedAt: d.endedAt }));
    },
    async clearPending(sessionId) {
      await Pending.deleteOne({ _id: sessionId });
    },
    markFinal: (sessionId, at) => insertOnce(() => Finals.create({ _id: sessionId, at, ...retention.fields(at) })),
    async finalAt(sessionId) {
      return (await Finals.findById(sessionId).lean<{ at: Date }>())?.at;
    },
  };
}
