import { Schema, Types, type Connection } from 'mongoose';
import type { LaunchSession, SessionStore } from '../lti/launch-session-store.js';
import { randomToken, sha256 } from '../lti/tokens.js';
import type { IndexSpec } from './indexes.js';

const COLLECTION = 'lti_sessions';

export const SESSION_INDEXES: readonly IndexSpec[] = [
  { collection: COLLECTION, keys: { tokenHash: 1 }, name: 'tokenHash_unique', unique: true },
  { collection: COLLECTION, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0 },
];

interface SessionDoc extends Omit<LaunchSession, 'id'> {
  _id: unknown;
  tokenHash: string;
}

export function createSessionStore(connection: Connection): SessionStore {
  const Sessions = connection.model<SessionDoc>(
    'LtiLaunchSession',
    new Schema<SessionDoc>(
      {
        tokenHash: { type: String, required: true },
        messageType: String,
        platformId: String,
        issuer: String,
        clientId: String,
        deploymentId: String,
        user: Schema.Types.Mixed,
        role: String,
        ltiRoles: [String],
        context: Schema.Types.Mixed,
        resourceLink: Schema.Types.Mixed,
        activityHints: [String],
        activityId: String,
        locale: String,
        timezone: String,
        returnUrl: String,
        services: Schema.Types.Mixed,
        deepLinking: Schema.Types.Mixed,
        custom: Schema.Types.Mixed,
        createdAt: Date,
        expiresAt: Date,
      },
      { collection: COLLECTION, minimize: false },
    ),
  );
  const toSession = ({ _id, tokenHash: _t, ...rest }: SessionDoc): LaunchSession => ({ id: String(_id), ...rest });

  return {
    async create(input, ttlMs) {
      const token = randomToken(32);
      const createdAt = new Date();
      const doc = await Sessions.create({
        ...input,
        tokenHash: sha256(token),
        createdAt,
        expiresAt: new Date(createdAt.getTime() + ttlMs),
      });
      return { token, session: toSession(doc.toObject() as SessionDoc) };
    },
    async authenticate(token, now = new Date()) {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
      const doc = await Sessions.findOne({ tokenHash: sha256(token), expiresAt: { $gt: now } }).lean<SessionDoc>();
      return doc ? toSession(doc) : undefined;
    },
    async revoke(id) {
      if (!Types.ObjectId.isValid(id)) return;
      await Sessions.deleteOne({ _id: new Types.ObjectId(id) });
    },
  };
}
