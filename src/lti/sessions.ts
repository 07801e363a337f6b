import { Schema, Types, type Connection } from 'mongoose';
import type { IndexSpec } from '../db/indexes.js';
import { randomToken, sha256 } from './launch-store.js';
import type { AppRole } from './roles.js';

export type MessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';

/** A validated launch, as plain data: what the launcher and the domain modules may rely on. */
export interface LaunchSession {
  id: string;
  messageType: MessageType;
  platformId: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  user: { id: string; name: string; givenName?: string; familyName?: string; email?: string; picture?: string };
  role: AppRole;
  ltiRoles: string[];
  context?: { id: string; label?: string; title?: string };
  resourceLink?: { id: string; title?: string; description?: string };
  /** What the link said about its activity (custom parameter, launch URL): hints, cross-checked by rooms/. */
  activityHints: string[];
  /** The live class the launch opens, found at launch; absent while a link's default class awaits its teacher. */
  activityId?: string;
  locale?: string;
  timezone?: string;
  returnUrl?: string;
  services: {
    lineItems?: string;
    lineItem?: string;
    agsScopes?: string[];
    membershipsUrl?: string;
  };
  deepLinking?: {
    returnUrl: string;
    data?: string;
    acceptTypes: string[];
    acceptMultiple: boolean;
  };
  custom: Record<string, string>;
  createdAt: Date;
  expiresAt: Date;
}

export type NewLaunchSession = Omit<LaunchSession, 'id' | 'createdAt' | 'expiresAt'>;

export interface SessionStore {
  /** Stores the session and returns the bearer token the launcher uses (only its hash is kept). */
  create(session: NewLaunchSession, ttlMs: number): Promise<{ token: string; session: LaunchSession }>;
  authenticate(token: string, now?: Date): Promise<LaunchSession | undefined>;
  /** Ends a session at once (its bearer token stops working); unknown ids are ignored. */
  revoke(id: string): Promise<void>;
}

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
