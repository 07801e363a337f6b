import { Schema, type Connection } from 'mongoose';
import { expiryFields } from './expiry.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { modelOf } from './models.js';

/**
 * Claims by insert, shared by every persisted queue of ours (webhook outbox, grade jobs, line item
 * creation). A claim on attempt n of an item is the document `<item>:<n>`: of two workers in any
 * processes exactly one inserts it, on MongoDB and FerretDB alike (STORE.md: correctness rests on unique
 * inserts only). A lease still running means the item is taken; an expired one (a crashed worker) counts
 * as a spent attempt, and the next attempt's lease is tried.
 */

export interface LeaseDoc {
  _id: string;
  item: string;
  leaseId: string;
  until: Date;
}

/** The two store operations a claim needs; src/db implements them on a collection, unit tests in memory. */
export interface LeaseDocs {
  /** False when a lease with this `_id` exists already (the unique insert lost). */
  insert(doc: LeaseDoc): Promise<boolean>;
  find(id: string): Promise<LeaseDoc | undefined>;
}

export const leaseKey = (item: string, attempt: number): string => `${item}:${attempt}`;

/** Claims the first free attempt from `from` on; undefined while a live lease holds the item. */
export async function claimLease(
  docs: LeaseDocs,
  item: string,
  from: number,
  now: Date,
  until: Date,
  leaseId: string,
): Promise<number | undefined> {
  for (let n = Math.max(from, 1); ; n += 1) {
    if (await docs.insert({ _id: leaseKey(item, n), item, leaseId, until })) return n;
    const held = await docs.find(leaseKey(item, n));
    if (held && held.until > now) return undefined;
  }
}

/**
 * True while `leaseId`'s lease on attempt n is the latest of the item: a lease on n + 1 means ours expired
 * and someone took the item over, so our outcome must not be recorded.
 */
export async function holdsLease(docs: LeaseDocs, item: string, attempt: number, leaseId: string): Promise<boolean> {
  const lease = await docs.find(leaseKey(item, attempt));
  return lease?.leaseId === leaseId && !(await docs.find(leaseKey(item, attempt + 1)));
}

/** Leases outlive their item's attempts by far; they expire `retentionSeconds` after their `until`. */
export function leaseIndex(collection: string, retentionSeconds: number): IndexSpec {
  return {
    collection,
    keys: { until: 1 },
    name: 'until_ttl',
    expireAfterSeconds: retentionSeconds,
    expiryBucket: true,
  };
}

/** LeaseDocs on a collection of the connection. */
export function mongoLeaseDocs(
  connection: Connection,
  modelName: string,
  collection: string,
  retentionSeconds: number,
): LeaseDocs {
  const Leases = modelOf<LeaseDoc>(
    connection,
    modelName,
    () =>
      new Schema(
        { _id: String, item: String, leaseId: String, until: Date, expiryBucket: Number },
        { collection, versionKey: false },
      ),
  );
  return {
    insert: (doc) =>
      insertOnce(() =>
        Leases.create({ ...doc, ...expiryFields(new Date(doc.until.getTime() + retentionSeconds * 1000)) }),
      ),
    async find(id) {
      return (await Leases.findById(id).lean<LeaseDoc>()) ?? undefined;
    },
  };
}
