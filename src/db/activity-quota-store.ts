import { Schema, type Connection } from 'mongoose';
import type { ActivityQuotaStore } from '../rooms/activity-quota.js';
import { expiryBucketPath, expiryFields } from './expiry.js';
import { insertOnce, type IndexSpec } from './indexes.js';

const COLLECTION = 'deep_linking_slots';

export const ACTIVITY_QUOTA_INDEXES: readonly IndexSpec[] = [
  { collection: COLLECTION, keys: { key: 1 }, name: 'key_unique', unique: true },
  { collection: COLLECTION, keys: { launchId: 1 }, name: 'launch' },
  // A slot matters only while its launch session can still post: it goes when the session does.
  { collection: COLLECTION, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0, expiryBucket: true },
];

interface SlotDoc {
  key: string;
  launchId: string;
  expiresAt: Date;
}

export function createActivityQuotaStore(connection: Connection): ActivityQuotaStore {
  const Slots = connection.model<SlotDoc>(
    'DeepLinkingSlot',
    new Schema<SlotDoc>(
      {
        key: { type: String, required: true },
        launchId: { type: String, required: true },
        expiresAt: { type: Date, required: true },
        ...expiryBucketPath,
      },
      { collection: COLLECTION },
    ),
  );
  return {
    count: (launchId) => Slots.countDocuments({ launchId }),
    claim: (launchId, n, expiresAt) =>
      insertOnce(() => Slots.create({ key: `${launchId}:${n}`, launchId, expiresAt, ...expiryFields(expiresAt) })),
  };
}
