import { Schema, type Connection } from 'mongoose';
import type { AuditEntry, AuditStore } from '../rooms/audit-store.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { modelOf } from './models.js';
import { retentionOf, type Retention } from './retention.js';

const AUDIT = 'room_audit';

export const AUDIT_INDEXES: readonly IndexSpec[] = [
  { collection: AUDIT, keys: { roomKey: 1, at: 1 }, name: 'room_at' },
  // Erasing one person (src/db/user-erasure.ts) finds their entries by identity, as actor or as target.
  { collection: AUDIT, keys: { actor: 1 }, name: 'actor' },
  { collection: AUDIT, keys: { target: 1 }, name: 'target' },
];

/** Entries name who acted on whom in a class: they go with that class's attendance (attendance.retentionDays). */
export const auditRetentionIndexes = (retention: Retention): IndexSpec[] => [retention.index(AUDIT, 'at')];

export function createAuditStore(connection: Connection, options: { retentionDays?: number } = {}): AuditStore {
  const retention = retentionOf(options.retentionDays);
  const Audit = modelOf<AuditEntry & { expiryBucket: number }>(
    connection,
    'RoomAudit',
    () =>
      new Schema<AuditEntry & { expiryBucket: number }>(
        {
          roomKey: String,
          sessionId: String,
          actor: String,
          action: String,
          target: String,
          at: Date,
          expiryBucket: Number,
        },
        { collection: AUDIT, id: false },
      ),
  );
  return {
    async append(entry) {
      await Audit.create({ ...entry, ...retention.fields(entry.at) });
    },
    // Through the driver: the key is the document's _id (a string beside the other entries' ObjectIds), so
    // the unique _id index makes it once on MongoDB and FerretDB alike.
    appendOnce: (entry, key) =>
      insertOnce(() =>
        Audit.collection.insertOne({ _id: key, ...entry, ...retention.fields(entry.at) } as never, {
          ignoreUndefined: true,
        }),
      ),
    async log(roomKey) {
      const docs = await Audit.find({ roomKey }, { _id: 0, __v: 0, expiryBucket: 0 })
        .sort({ at: 1 })
        .lean<AuditEntry[]>();
      return docs.map(({ roomKey, sessionId, actor, action, target, at }) => ({
        roomKey,
        actor,
        action,
        at,
        ...(sessionId ? { sessionId } : {}),
        ...(target ? { target } : {}),
      }));
    },
  };
}
