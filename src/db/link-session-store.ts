import { Schema, type Connection } from 'mongoose';
import type { LinkSession, LinkSessionStore } from '../integrations/link-sessions.js';
import { expiryBucketPath, expiryFields } from './expiry.js';
import type { IndexSpec } from './indexes.js';

const COLLECTION = 'integrator_link_sessions';

export const LINK_SESSION_INDEXES: readonly IndexSpec[] = [
  { collection: COLLECTION, keys: { sessionId: 1 }, name: 'sessionId_unique', unique: true },
  { collection: COLLECTION, keys: { linkHash: 1, createdAt: -1 }, name: 'link_newest' },
  { collection: COLLECTION, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0, expiryBucket: true },
];

export function createLinkSessionStore(connection: Connection): LinkSessionStore {
  const Entries = connection.model<LinkSession>(
    'IntegratorLinkSession',
    new Schema<LinkSession>(
      {
        linkHash: { type: String, required: true },
        sessionId: { type: String, required: true },
        tokenHash: { type: String, required: true },
        createdAt: { type: Date, required: true },
        expiresAt: { type: Date, required: true },
        ...expiryBucketPath,
      },
      { collection: COLLECTION },
    ),
  );
  const plain = ({ linkHash, sessionId, tokenHash, createdAt, expiresAt }: LinkSession): LinkSession => ({
    linkHash,
    sessionId,
    tokenHash,
    createdAt,
    expiresAt,
  });

  return {
    async add(entry) {
      await Entries.create({ ...entry, ...expiryFields(entry.expiresAt) });
    },
    async list(linkHash, now) {
      const docs = await Entries.find({ linkHash, expiresAt: { $gt: now } })
        .sort({ createdAt: -1, sessionId: -1 })
        .lean<LinkSession[]>();
      return docs.map(plain);
    },
    async has(linkHash, tokenHash, now) {
      return (await Entries.exists({ linkHash, tokenHash, expiresAt: { $gt: now } })) !== null;
    },
    async remove(linkHash, sessionIds) {
      await Entries.deleteMany({ linkHash, sessionId: { $in: sessionIds } });
    },
  };
}
