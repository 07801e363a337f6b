import type { Connection } from 'mongoose';
import type { LineItemRef, LineItemRefStore } from '../attendance/line-item.js';
import { expiryFields } from './expiry.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { looseSchema, modelOf, strip } from './models.js';

const REFS = 'grade_line_items';
const CREATIONS = 'grade_line_item_creations';
const CREATION_KEEP_SECONDS = 24 * 60 * 60;

export const LINE_ITEM_INDEXES: readonly IndexSpec[] = [
  {
    collection: CREATIONS,
    keys: { until: 1 },
    name: 'until_ttl',
    expireAfterSeconds: CREATION_KEEP_SECONDS,
    expiryBucket: true,
  },
];

/**
 * References by `_id` = the line item key (a unique insert: the first writer's line item is the one), and
 * creation leases by `_id` = `<key>:<n>`: a holder inserts the next slot once the previous lease ran out.
 */
export function createLineItemStore(connection: Connection): LineItemRefStore {
  const Refs = modelOf<LineItemRef & { _id: string }>(connection, 'GradeLineItem', () =>
    looseSchema(REFS, { _id: String }),
  );
  const Creations = modelOf<{ _id: string; key: string; holder: string; until: Date }>(
    connection,
    'GradeLineItemCreation',
    () => looseSchema(CREATIONS, { _id: String }),
  );
  const toRef = (doc: LineItemRef & { _id?: unknown }): LineItemRef => strip(doc);

  return {
    async get(key) {
      const doc = await Refs.findById(key).lean<LineItemRef & { _id: string }>();
      return doc ? toRef(doc) : undefined;
    },
    async put(ref) {
      if (await insertOnce(() => Refs.create({ _id: ref.key, ...ref }))) return ref;
      const kept = await Refs.findById(ref.key).lean<LineItemRef & { _id: string }>();
      return kept ? toRef(kept) : ref;
    },
    async forget(key, url) {
      // Only the reference to the gone line item: another writer's newer one stays.
      await Refs.deleteOne({ _id: key, url });
    },
    async claimCreation(key, holder, now, until) {
      for (let n = 1; n < 1000; n += 1) {
        const id = `${key}:${n}`;
        const doc = {
          _id: id,
          key,
          holder,
          until,
          ...expiryFields(new Date(until.getTime() + CREATION_KEEP_SECONDS * 1000)),
        };
        if (await insertOnce(() => Creations.create(doc))) return true;
        const held = await Creations.findById(id).lean<{ holder: string; until: Date }>();
        if (held && held.until > now) return held.holder === holder;
      }
      return false;
    },
  };
}
