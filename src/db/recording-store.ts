import type { Connection } from 'mongoose';
import type { Recording, RecordingFact } from '../recordings/recording.js';
import type { RecordingStore } from '../recordings/recording-store.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { leaseIndex, leaseKey, mongoLeaseDocs } from './leases.js';

export const RECORDINGS = 'recordings';
export const RECORDING_FACTS = 'recording_facts';

export const RECORDING_INDEXES: readonly IndexSpec[] = [
  { collection: RECORDINGS, keys: { sessionId: 1 }, name: 'session' },
  { collection: RECORDINGS, keys: { roomKey: 1, requestedAt: -1 }, name: 'room_requested' },
  { collection: RECORDINGS, keys: { requestedAt: 1 }, name: 'requested' },
  { collection: RECORDING_FACTS, keys: { recordingId: 1 }, name: 'recording' },
  { collection: RECORDING_FACTS, keys: { egressId: 1 }, name: 'egress' },
];

/** `_id` is the recording id. Retention is a job of its own (files go first), not a TTL index. */
type RecordingDoc = Omit<Recording, 'recordingId'> & { _id: string };
/** `_id` is `${recordingId} ${kind}`: each kind of fact happens once per recording. */
type FactDoc = RecordingFact & { _id: string };

export function createRecordingStore(connection: Connection): RecordingStore {
  const recordings = connection.collection<RecordingDoc>(RECORDINGS);
  const facts = connection.collection<FactDoc>(RECORDING_FACTS);
  const recordingOf = ({ _id, ...rest }: RecordingDoc): Recording => ({ recordingId: _id, ...rest });
  const factOf = ({ _id: _ignored, ...fact }: FactDoc): RecordingFact => fact;

  return {
    create: ({ recordingId, ...recording }) =>
      insertOnce(() => recordings.insertOne({ _id: recordingId, ...recording }, { ignoreUndefined: true })),
    async get(recordingId) {
      const doc = await recordings.findOne({ _id: recordingId });
      return doc ? recordingOf(doc) : undefined;
    },
    async ofSession(sessionId) {
      const docs = await recordings.find({ sessionId }).toArray();
      return docs.map(recordingOf).sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime());
    },
    async ofRoom(roomKey) {
      const docs = await recordings.find({ roomKey }).sort({ requestedAt: -1 }).toArray();
      return docs.map(recordingOf);
    },
    async byEgress(egressId) {
      const fact = await facts.findOne({ egressId, kind: 'egress' });
      if (!fact) return undefined;
      const doc = await recordings.findOne({ _id: fact.recordingId });
      return doc ? recordingOf(doc) : undefined;
    },
    async requestedBefore(before, limit) {
      const docs = await recordings
        .find({ requestedAt: { $lt: before } })
        .sort({ requestedAt: 1 })
        .limit(limit)
        .toArray();
      return docs.map(recordingOf);
    },
    async requestedSince(since, limit) {
      const docs = await recordings
        .find({ requestedAt: { $gte: since } })
        .sort({ requestedAt: 1 })
        .limit(limit)
        .toArray();
      return docs.map(recordingOf);
    },
    mark: (fact) =>
      insertOnce(() =>
        facts.insertOne({ _id: `${fact.recordingId} ${fact.kind}`, ...fact }, { ignoreUndefined: true }),
      ),
    async facts(recordingIds) {
      const found = new Map<string, RecordingFact[]>(recordingIds.map((id) => [id, []]));
      if (recordingIds.length === 0) return found;
      for (const doc of await facts.find({ recordingId: { $in: [...recordingIds] } }).toArray()) {
        found.get(doc.recordingId)?.push(factOf(doc));
      }
      return found;
    },
    async remove(recordingId) {
      await facts.deleteMany({ recordingId });
      await recordings.deleteOne({ _id: recordingId });
    },
  };
}

const RECONCILE_LEASES = 'recording_reconcile_leases';
/** A pass's lease outlives its period by far; it goes a day after. */
const LEASE_RETENTION_SECONDS = 24 * 60 * 60;
export const RECORDING_LEASE_INDEXES: readonly IndexSpec[] = [leaseIndex(RECONCILE_LEASES, LEASE_RETENTION_SECONDS)];

/**
 * One reconcile pass per period across every tool instance: the pass of period n is the lease document
 * `reconcile:<n>`, and whoever inserts it runs that pass (src/db/leases.ts: claims by insert).
 */
export function createReconcileLease(connection: Connection) {
  const docs = mongoLeaseDocs(connection, 'RecordingReconcileLease', RECONCILE_LEASES, LEASE_RETENTION_SECONDS);
  return {
    take(periodMs: number, now: Date, leaseId: string): Promise<boolean> {
      const n = Math.floor(now.getTime() / periodMs);
      return docs.insert({
        _id: leaseKey('reconcile', n),
        item: 'reconcile',
        leaseId,
        until: new Date((n + 1) * periodMs),
      });
    },
  };
}
