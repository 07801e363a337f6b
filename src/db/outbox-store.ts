import { Schema, type Connection } from 'mongoose';
import { OUTBOX_RETENTION_SECONDS, type OutboxItem, type OutboxStore } from '../integrations/webhook-outbox.js';
import { expiryFields } from './expiry.js';
import { isDuplicateKey, type IndexSpec } from './indexes.js';
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
    // Delivery leases (one per attempt, keyed `<id>:<attempt>`) outlive their item's attempts by far.
    {
      collection: `${collection}_leases`,
      keys: { until: 1 },
      name: 'until_ttl',
      expireAfterSeconds: OUTBOX_RETENTION_SECONDS,
      expiryBucket: true,
    },
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
  const Leases = connection.model(
    `${name}Lease`,
    new Schema(
      { _id: String, item: String, leaseId: String, until: Date, expiryBucket: Number },
      { collection: `${collection}_leases`, versionKey: false },
    ),
  );
  const leaseKey = (id: string, attempt: number) => `${id}:${attempt}`;
  const retained = (from: Date) => expiryFields(new Date(from.getTime() + OUTBOX_RETENTION_SECONDS * 1000));

  /**
   * A claim is an inserted lease for the item's next attempt: of two workers (in any process) exactly one
   * inserts `<id>:<n>`. A lease still running means the item is taken; an expired one (a crashed worker)
   * counts as a spent attempt, and the next attempt's lease is tried. Only the lease holder then writes
   * the item (attempts, leaseId), so that update has one writer.
   */
  const claim = async (item: OutboxItem, now: Date, until: Date, leaseId: string): Promise<number | undefined> => {
    for (let n = item.attempts + 1; ; n += 1) {
      try {
        await Leases.create({ _id: leaseKey(item.id, n), item: item.id, leaseId, until, ...retained(until) });
        return n;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const held = await Leases.findById(leaseKey(item.id, n)).lean<{ until: Date }>();
      if (held && held.until > now) return undefined;
    }
  };

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
      const due = await Outbox.find({ status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } })
        .sort({ nextAttemptAt: 1 })
        .limit(20)
        .lean<OutboxItem[]>();
      for (const doc of due) {
        const item = toItem(doc);
        const attempts = await claim(item, now, leaseUntil, leaseId);
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
      const lease = item && (await Leases.findById(leaseKey(id, item.attempts)).lean<{ leaseId: string }>());
      if (lease?.leaseId !== leaseId || (await Leases.exists({ _id: leaseKey(id, item!.attempts + 1) }))) return false;
      await Outbox.updateOne({ id }, { $set: set });
      return true;
    },
    async get(id) {
      const doc = await Outbox.findOne({ id }).lean<OutboxItem>();
      return doc ? toItem(doc) : undefined;
    },
  };
}
