import type { Connection } from 'mongoose';
import { factId, type BreakoutFact, type BreakoutStore } from '../rooms/breakout-store.js';
import { expiryFields } from './expiry.js';
import { insertOnce, type IndexSpec } from './indexes.js';

const FACTS = 'breakout_facts';
/** A round lives within one class; its facts only have to outlive it (attendance keeps its own facts). */
const KEEP_SECONDS = 2 * 86400;

export const BREAKOUT_INDEXES: readonly IndexSpec[] = [
  { collection: FACTS, keys: { roomKey: 1, round: -1 }, name: 'room_round' },
  { collection: FACTS, keys: { at: 1 }, name: 'at_ttl', expireAfterSeconds: KEEP_SECONDS, expiryBucket: true },
];

type FactDoc = BreakoutFact & { _id: string; expiryBucket: number };

export function createBreakoutStore(connection: Connection): BreakoutStore {
  const facts = connection.collection<FactDoc>(FACTS);
  return {
    append(fact) {
      const dueAt = new Date(fact.at.getTime() + KEEP_SECONDS * 1000);
      return insertOnce(() => facts.insertOne({ ...fact, _id: factId(fact), ...expiryFields(dueAt) } as FactDoc));
    },
    async latest(roomKey) {
      const last = await facts.find({ roomKey, kind: 'opened' }).sort({ round: -1 }).limit(1).toArray();
      const round = last[0]?.round;
      if (round === undefined) return [];
      const docs = await facts.find({ roomKey, round }).toArray();
      return docs.map(({ _id, expiryBucket: _bucket, ...fact }) => fact as BreakoutFact);
    },
  };
}
