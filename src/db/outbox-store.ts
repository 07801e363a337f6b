import type { Connection } from 'mongoose';
import { OUTBOX_RETENTION_SECONDS, type OutboxItem, type OutboxStore } from '../integrations/webhook-outbox.js';
import { expiryFields } from './expiry.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { claimLease, holdsLease, leaseIndex, mongoLeaseDocs } from './leases.js';
import { looseSchema, strip } from './models.js';

export const OUTBOX_COLLECTION = 'integrator_webhook_outbox';

export function outboxIndexes(collection = OUTBOX_COLLECTION): IndexSpec[] {
  return [
    // Our event id: a redelivered LiveKit webhook (or a session start seen twice) is queued once.
    { collection, keys: { id: 1 }, name: 'id_unique', unique: true },
    { collection, keys: { status: 1, nextAttemptAt: 1 }, name: 'status_due' },
    // Pending items have no finishedAt, so only delivered and failed ones expire.
    {
      collection,
      keys: { finishedAt: 1 },
      name: 'finishedAt_ttl',
      expireAfterSeconds: OUTBOX_RETENTION_SECONDS,
      expiryBucket: true,
    },
    // Delivery leases, one per attempt (src/db/leases.ts).
    leaseIndex(`${collection}_leases`, OUTBOX_RETENTION_SECONDS),
  ];
}
export const OUTBOX_INDEXES: readonly IndexSpec[] = outboxIndexes();

/** Cleared fields are stored as null; the domain sees them as absent. */
const toItem = (doc: OutboxItem & { _id?: unknown; __v?: unknown }): OutboxItem =>
  Object.fromEntries(Object.entries(strip(doc)).filter(([, v]) => v !== null)) as unknown as OutboxItem;

/** `collection` is for tests that run their own worker beside the tool's (one store per connection and collection). */
export function createOutboxStore(connection: Connection, collection = OUTBOX_COLLECTION): OutboxStore {
  const name = collection === OUTBOX_COLLECTION ? 'IntegratorWebhookOutbox' : `IntegratorWebhookOutbox_${collection}`;
  const Outbox = connection.model(name, looseSchema(collection));
  const leases = mongoLeaseDocs(connection, `${name}Lease`, `${collection}_leases`, OUTBOX_RETENTION_SECONDS);
  const retained = (from: Date) => expiryFields(new Date(from.getTime() + OUTBOX_RETENTION_SECONDS * 1000));

  return {
    insert: (item) => insertOnce(() => Outbox.create(item)),
    async claimDue(now, leaseUntil, leaseId) {
      const due = await Outbox.find({ status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } })
        .sort({ nextAttemptAt: 1 })
        .limit(20)
        .lean<OutboxItem[]>();
      for (const doc of due) {
        const item = toItem(doc);
        // Only the lease holder then writes the item (attempts, leaseId), so that update has one writer.
        const attempts = await claimLease(leases, item.id, item.attempts + 1, now, leaseUntil, leaseId);
        if (attempts === undefined) continue;
        await Outbox.updateOne({ id: item.id }, { $set: { attempts, leaseUntil, leaseId } });
        return { ...item, attempts, leaseUntil, leaseId };
      }
      return undefined;
    },
    async complete(id, leaseId, outcome) {
      const set = {
        status: outcome.status,
        nextAttemptAt: outcome.nextAttemptAt,
        lastStatusCode: outcome.lastStatusCode ?? null,
        lastError: outcome.lastError ?? null,
        leaseUntil: new Date(0),
        leaseId: null,
        ...(outcome.finishedAt ? { finishedAt: outcome.finishedAt, ...retained(outcome.finishedAt) } : {}),
      };
      // Ours while our attempt's lease is the latest one (a later lease means it expired and was taken over).
      const item = await Outbox.findOne({ id }, { attempts: 1 }).lean<{ attempts: number }>();
      if (!item || !(await holdsLease(leases, id, item.attempts, leaseId))) return false;
      await Outbox.updateOne({ id }, { $set: set });
      return true;
    },
    async get(id) {
      const doc = await Outbox.findOne({ id }).lean<OutboxItem>();
      return doc ? toItem(doc) : undefined;
    },
  };
}
