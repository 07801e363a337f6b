import type { Connection } from 'mongoose';
import type { RecordingPublication } from '../recordings/recording-publication.js';
import type { Recording, RecordingFact } from '../recordings/recording.js';
import type { RecordingClaims, RecordingStore } from '../recordings/recording-store.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { claimLease, leaseIndex, leaseKey, mongoLeaseDocs } from './leases.js';

export const RECORDINGS = 'recordings';
export const RECORDING_FACTS = 'recording_facts';
export const RECORDING_PUBLICATIONS = 'recording_publications';
const RECORDING_LEASES = 'recording_leases';
/** A lease outlives its work by a day, then the cleanup job (or MongoDB's TTL) removes it. */
const LEASE_RETENTION_SECONDS = 24 * 60 * 60;

export const RECORDING_INDEXES: readonly IndexSpec[] = [
  { collection: RECORDINGS, keys: { sessionId: 1 }, name: 'session' },
  { collection: RECORDINGS, keys: { roomKey: 1, requestedAt: -1 }, name: 'room_requested' },
  { collection: RECORDINGS, keys: { requestedAt: 1 }, name: 'requested' },
  { collection: RECORDING_FACTS, keys: { recordingId: 1 }, name: 'recording' },
  { collection: RECORDING_FACTS, keys: { egressId: 1 }, name: 'egress' },
  { collection: RECORDING_PUBLICATIONS, keys: { recordingId: 1 }, name: 'recording' },
  leaseIndex(RECORDING_LEASES, LEASE_RETENTION_SECONDS),
];

/** `_id` is the recording id. Retention is a job of its own (files go first), not a TTL index. */
type RecordingDoc = Omit<Recording, 'recordingId'> & { _id: string };
/** `_id` is `${recordingId} ${kind}`: each kind of fact happens once per recording. */
type FactDoc = RecordingFact & { _id: string };
/** `_id` is `${recordingId} ${seq}`: the seq-th change of a recording is written once. */
type PublicationDoc = RecordingPublication & { _id: string };

export function createRecordingStore(connection: Connection): RecordingStore {
  const recordings = connection.collection<RecordingDoc>(RECORDINGS);
  const facts = connection.collection<FactDoc>(RECORDING_FACTS);
  const publications = connection.collection<PublicationDoc>(RECORDING_PUBLICATIONS);
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
    async requestedBetween(from, before, limit) {
      const docs = await recordings
        .find({ requestedAt: { $gte: from, $lt: before } })
        .sort({ requestedAt: 1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map(recordingOf);
    },
    publish: (p) => insertOnce(() => publications.insertOne({ _id: `${p.recordingId} ${p.seq}`, ...p })),
    async publications(recordingIds) {
      const latest = new Map<string, RecordingPublication>();
      if (recordingIds.length === 0) return latest;
      for (const { _id: _ignored, ...p } of await publications
        .find({ recordingId: { $in: [...recordingIds] } })
        .toArray()) {
        if ((latest.get(p.recordingId)?.seq ?? 0) < p.seq) latest.set(p.recordingId, p);
      }
      return latest;
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
      await publications.deleteMany({ recordingId });
      await recordings.deleteOne({ _id: recordingId });
    },
  };
}

const RECONCILE_LEASES = 'recording_reconcile_leases';
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

/** Leases on recordings, `<job> <recordingId>:<attempt>`, in their own collection. */
export function createRecordingClaims(connection: Connection): RecordingClaims {
  const docs = mongoLeaseDocs(connection, 'RecordingLease', RECORDING_LEASES, LEASE_RETENTION_SECONDS);
  return {
    async claim(job, recordingId, now, until, holder) {
      const item = `${job} ${recordingId}`;
      if ((await claimLease(docs, item, 1, now, until, holder)) !== undefined) return true;
      // Held: by this holder itself (a pass that failed halfway tries again at once), or by someone else.
      for (let n = 1; ; n += 1) {
        const lease = await docs.find(leaseKey(item, n));
        if (!lease) return false;
        if (lease.until > now) return lease.leaseId === holder;
      }
    },
  };
}
