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
/**
 * When each key was last used, apart from the key: on FerretDB two concurrent updates of one document
 * lose one, and a use racing a revocation must never undo the revocation. One writer per use, last wins.
 */
const USAGE = 'integrator_api_key_usage';

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
  const Usage = connection.model<{ _id: string; lastUsedAt: Date }>(
    'IntegratorApiKeyUsage',
    new Schema({ _id: String, lastUsedAt: Date }, { collection: USAGE, versionKey: false }),
  );
  const touchedAt = new Map<string, number>();
  const toApiKey = (d: ApiKeyDoc, used?: Date): ApiKey => ({
    id: d.keyId,
    name: d.name,
    createdAt: d.createdAt,
    // Keys used before usage moved to its own collection still carry it on the key.
    ...((used ?? d.lastUsedAt) ? { lastUsedAt: (used ?? d.lastUsedAt) as Date } : {}),
    ...(d.revokedAt ? { revokedAt: d.revokedAt } : {}),
  });
  const withUsage = async (docs: ApiKeyDoc[]): Promise<ApiKey[]> => {
    const usage = await Promise.all(docs.map((d) => Usage.findById(d.keyId).lean<{ lastUsedAt: Date }>()));
    return docs.map((d, i) => toApiKey(d, usage[i]?.lastUsedAt));
  };

  return {
    async create({ id, keyHash, name, createdAt }) {
      const doc = await Keys.create({ keyId: id, keyHash, name, createdAt });
      return toApiKey(doc.toObject());
    },
    async list() {
      return withUsage(await Keys.find().sort({ createdAt: 1 }).lean<ApiKeyDoc[]>());
    },
    async get(id) {
      const doc = await Keys.findOne({ keyId: id }).lean<ApiKeyDoc>();
      return doc ? (await withUsage([doc]))[0] : undefined;
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
      // At most once a minute per key and process: a busy integrator does not write on every request.
      if (at.getTime() - (touchedAt.get(id) ?? 0) < TOUCH_INTERVAL_MS) return;
      touchedAt.set(id, at.getTime());
      await Usage.updateOne({ _id: id }, { $set: { lastUsedAt: at } }, { upsert: true });
    },
  };
}
