import { Schema, Types, type Connection } from 'mongoose';
import type { LaunchSession, SessionStore } from '../lti/launch-session-store.js';
import { contextKeyOf, type ContextLaunches, type CourseMember } from '../lti/roster-store.js';
import { randomToken, sha256 } from '../lti/tokens.js';
import { expiryBucketPath, expiryFields } from './expiry.js';
import type { IndexSpec } from './indexes.js';
import { createReadCache } from './read-cache.js';

const COLLECTION = 'lti_sessions';
/** How long the instance that opened a session answers for it from memory (see createSessionStore). */
const FRESH_SESSION_MS = 5000;
const FRESH_MAX = 10_000;

export const SESSION_INDEXES: readonly IndexSpec[] = [
  { collection: COLLECTION, keys: { tokenHash: 1 }, name: 'tokenHash_unique', unique: true },
  { collection: COLLECTION, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0, expiryBucket: true },
  // Who launched into a course (the roster of an LMS without NRPS): one top-level equality FerretDB can filter.
  { collection: COLLECTION, keys: { contextKey: 1 }, name: 'contextKey' },
];
/** The most sessions launchersOf() reads for one course: far above a class, bounded against a runaway one. */
const LAUNCHERS_MAX_SESSIONS = 20_000;

interface SessionDoc extends Omit<LaunchSession, 'id'> {
  _id: unknown;
  tokenHash: string;
  expiryBucket?: number;
  /**
   * contextKeyOf(platformId, context.id), flat so a course's sessions are found by one indexed equality
   * (FerretDB v1 filters only top-level fields). Sessions written before it existed lack it: not found.
   */
  contextKey?: string;
}

export function createSessionStore(connection: Connection): SessionStore & ContextLaunches {
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
        contextKey: String,
        ...expiryBucketPath,
      },
      { collection: COLLECTION, minimize: false },
    ),
  );
  const toSession = ({ _id, tokenHash: _t, expiryBucket: _b, contextKey: _c, ...rest }: SessionDoc): LaunchSession => ({
    id: String(_id),
    ...rest,
  });
  /**
   * The launcher's first requests follow its launch within a second, mostly to the instance that wrote the
   * session: that instance answers them from what it wrote, by token hash, for FRESH_SESSION_MS. A session
   * revoked here leaves the cache at once; one revoked on another instance (a join link's older session
   * pruned there) still authenticates here until FRESH_SESSION_MS after its creation. Expiry and the
   * owner's revocation (src/http/session-revocation.ts) are checked on every request either way.
   */
  const fresh = createReadCache<LaunchSession>({ ttlMs: FRESH_SESSION_MS, maxEntries: FRESH_MAX });
  /** Session id -> token hash of what `fresh` may hold, so revoke() can drop it; cleared with it. */
  const freshHashOf = new Map<string, string>();

  return {
    async create(input, ttlMs) {
      const token = randomToken(32);
      const tokenHash = sha256(token);
      const createdAt = new Date();
      const expiresAt = new Date(createdAt.getTime() + ttlMs);
      const contextKey = input.context ? contextKeyOf(input.platformId, input.context.id) : undefined;
      const doc = { ...input, tokenHash, createdAt, expiresAt, contextKey, ...expiryFields(expiresAt) };
      // Through the driver: one insert per launch, and mongoose's document machinery cost more CPU than it.
      const { insertedId } = await Sessions.collection.insertOne(doc, { ignoreUndefined: true });
      const session: LaunchSession = { ...input, id: String(insertedId), createdAt, expiresAt };
      if (freshHashOf.size >= FRESH_MAX) {
        fresh.clear();
        freshHashOf.clear();
      }
      fresh.set(tokenHash, session);
      freshHashOf.set(session.id, tokenHash);
      return { token, session };
    },
    async authenticate(token, now = new Date()) {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
      const tokenHash = sha256(token);
      const written = fresh.peek(tokenHash);
      if (written) return written.expiresAt.getTime() > now.getTime() ? { ...written } : undefined;
      const doc = (await Sessions.collection.findOne({ tokenHash, expiresAt: { $gt: now } })) as SessionDoc | null;
      return doc ? toSession(doc) : undefined;
    },
    async revoke(id) {
      const tokenHash = freshHashOf.get(id);
      freshHashOf.delete(id);
      if (tokenHash) fresh.delete(tokenHash);
      if (!Types.ObjectId.isValid(id)) return;
      await Sessions.deleteOne({ _id: new Types.ObjectId(id) });
    },
    async launchersOf(platformId, contextId, now = new Date()) {
      const docs = await Sessions.collection
        .find<Pick<SessionDoc, 'user' | 'role' | 'createdAt' | 'expiresAt'>>(
          { contextKey: contextKeyOf(platformId, contextId) },
          { projection: { user: 1, role: 1, createdAt: 1, expiresAt: 1 }, limit: LAUNCHERS_MAX_SESSIONS },
        )
        .toArray();
      // Sorted here, not by the store: FerretDB v1 would sort the whole match in memory anyway.
      docs.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      const members = new Map<string, CourseMember>();
      for (const d of docs) {
        // Expired sessions await the cleanup job (read by equality only); they are no longer a launch.
        if (d.expiresAt.getTime() <= now.getTime() || members.has(d.user.id)) continue;
        members.set(d.user.id, { userId: d.user.id, name: d.user.name || d.user.id, role: d.role, active: true });
      }
      return [...members.values()];
    },
  };
}
