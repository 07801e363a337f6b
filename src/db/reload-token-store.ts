import type { Connection } from 'mongoose';
import type { ReloadTokenRecord, ReloadTokenStore } from '../lti/reload-tokens.js';
import { expiryFields } from './expiry.js';
import { isDuplicateKey, type IndexSpec } from './indexes.js';

const TOKENS = 'lti_reload_tokens';
const CLAIMS = 'lti_reload_claims';

/** Both keyed by the token's hash as _id (unique by itself); expired documents go by bucket. */
export const RELOAD_TOKEN_INDEXES: readonly IndexSpec[] = [
  { collection: TOKENS, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0, expiryBucket: true },
  { collection: CLAIMS, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0, expiryBucket: true },
];

interface TokenDoc extends Omit<ReloadTokenRecord, 'tokenHash'> {
  _id: string;
  expiryBucket: number;
}

/** Through the driver: plain documents looked up by _id, no schema machinery needed. */
export function createReloadTokenStore(connection: Connection): ReloadTokenStore {
  const tokens = connection.collection<TokenDoc>(TOKENS);
  const claims = connection.collection<{ _id: string; expiresAt: Date; expiryBucket: number }>(CLAIMS);
  return {
    async add({ tokenHash, ...record }) {
      await tokens.insertOne(
        { _id: tokenHash, ...record, ...expiryFields(record.expiresAt) },
        { ignoreUndefined: true },
      );
    },
    async get(tokenHash) {
      const doc = await tokens.findOne({ _id: tokenHash });
      if (!doc) return undefined;
      const { _id, expiryBucket: _b, ...record } = doc;
      return { tokenHash: _id, ...record };
    },
    async claim(tokenHash, expiresAt) {
      try {
        await claims.insertOne({ _id: tokenHash, expiresAt, ...expiryFields(expiresAt) });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
  };
}
