import { Schema, type Connection } from 'mongoose';
import { OUTBOX_RETENTION_SECONDS, type OutboxItem, type OutboxStore } from '../integrations/webhook-outbox.js';
import { isDuplicateKey, type IndexSpec } from './indexes.js';

export const OUTBOX_COLLECTION = 'integrator_webhook_outbox';

export function outboxIndexes(collection = OUTBOX_COLLECTION): IndexSpec[] {
  return [
    // Our event id: a redelivered LiveKit webhook (or a session start seen twice) is queued once.
    { collection, keys: { id: 1 }, name: 'id_unique', unique: true },
    { collection, keys: { status: 1, nextAttemptAt: 1 }, name: 'status_due' },
    // Pending items have no finishedAt, so only delivered and failed ones expire.
    { collection, keys: { finishedAt: 1 }, name: 'finishedAt_ttl', expireAfterSeconds: OUTBOX_RETENTION_SECONDS },
  ];
}
export const OUTBOX_INDEXES: readonly IndexSpec[] = outboxIndexes();

/** Cleared fields are stored as null; the domain sees them as absent. */
const strip = (doc: OutboxItem & { _id?: unknown; __v?: unknown }): OutboxItem => {
  const { _id, __v, ...rest } = doc;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)) as unknown as OutboxItem;
};

/** `collection` is for tests that run their own worker beside the tool's (one store per connection and collection). */
export function createOutboxStore(connection: Connection, collection = OUTBOX_COLLECTION): OutboxStore {
  const name = collection === OUTBOX_COLLECTION ? 'IntegratorWebhookOutbox' : `IntegratorWebhookOutbox_${collection}`;
  // `id: false`: mongoose's `id` virtual would otherwise swallow the field named id.
  const schema = new Schema({}, { collection, strict: false, minimize: false, id: false });
  const Outbox = connection.model(name, schema);

  return {
    async insert(item) {
      try {
        await Outbox.create(item);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async claimDue(now, leaseUntil, leaseId) {
      // One document, one update: with MongoDB exactly one claimer wins; FerretDB v1 is best effort.
      const doc = await Outbox.findOneAndUpdate(
        { status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } },
        { $set: { leaseUntil, leaseId }, $inc: { attempts: 1 } },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
      ).lean<OutboxItem>();
      return doc ? strip(doc) : undefined;
    },
    async complete(id, leaseId, outcome) {
      const set = {
        status: outcome.status,
        nextAttemptAt: outcome.nextAttemptAt,
        lastStatusCode: outcome.lastStatusCode ?? null,
        lastError: outcome.lastError ?? null,
        leaseUntil: new Date(0),
        leaseId: null,
        ...(outcome.finishedAt ? { finishedAt: outcome.finishedAt } : {}),
      };
      const result = await Outbox.updateOne({ id, leaseId }, { $set: set });
      return result.modifiedCount > 0;
    },
    async get(id) {
      const doc = await Outbox.findOne({ id }).lean<OutboxItem>();
      return doc ? strip(doc) : undefined;
    },
  };
}
