import { Schema, type Connection } from 'mongoose';
import type { ApiKey, ApiKeyStore } from '../integrations/api-keys.js';
import type { IndexSpec } from './indexes.js';

const COLLECTION = 'integrator_api_keys';

export const API_KEY_INDEXES: readonly IndexSpec[] = [
  { collection: COLLECTION, keys: { keyId: 1 }, name: 'keyId_unique', unique: true },
  { collection: COLLECTION, keys: { keyHash: 1 }, name: 'keyHash_unique', unique: true },
];

interface ApiKeyDoc {
  keyId: string;
  keyHash: string;
  name: string;
  createdAt: Date;
  lastUsedAt?: Date | null;
  revokedAt?: Date | null;
}

const TOUCH_INTERVAL_MS = 60_000;

export function createApiKeyStore(connection: Connection): ApiKeyStore {
  const Keys = connection.model<ApiKeyDoc>(
    'IntegratorApiKey',
    new Schema<ApiKeyDoc>(
      {
        keyId: { type: String, required: true },
        keyHash: { type: String, required: true },
        name: { type: String, required: true },
        createdAt: { type: Date, required: true },
        lastUsedAt: { type: Date, default: null },
        revokedAt: { type: Date, default: null },
      },
      { collection: COLLECTION },
    ),
  );
  const toApiKey = (d: ApiKeyDoc): ApiKey => ({
    id: d.keyId,
    name: d.name,
    createdAt: d.createdAt,
    ...(d.lastUsedAt ? { lastUsedAt: d.lastUsedAt } : {}),
    ...(d.revokedAt ? { revokedAt: d.revokedAt } : {}),
  });

  return {
    async create({ id, keyHash, name, createdAt }) {
      const doc = await Keys.create({ keyId: id, keyHash, name, createdAt });
      return toApiKey(doc.toObject());
    },
    async list() {
      return (await Keys.find().sort({ createdAt: 1 }).lean<ApiKeyDoc[]>()).map(toApiKey);
    },
    async get(id) {
      const doc = await Keys.findOne({ keyId: id }).lean<ApiKeyDoc>();
      return doc ? toApiKey(doc) : undefined;
    },
    async revoke(id, at) {
      const doc = await Keys.findOne({ keyId: id }).lean<ApiKeyDoc>();
      if (!doc) return false;
      await Keys.updateOne({ keyId: id, revokedAt: null }, { $set: { revokedAt: at } });
      return true;
    },
    async findActiveByHash(keyHash) {
      const doc = await Keys.findOne({ keyHash, revokedAt: null }).lean<ApiKeyDoc>();
      return doc ? toApiKey(doc) : undefined;
    },
    async touch(id, at) {
      await Keys.updateOne(
        { keyId: id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: new Date(at.getTime() - TOUCH_INTERVAL_MS) } }] },
        { $set: { lastUsedAt: at } },
      );
    },
  };
}
