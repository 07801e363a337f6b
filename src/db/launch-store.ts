import { Schema, type Connection } from 'mongoose';
import type { LaunchStore, LoginRecord } from '../lti/launch-store.js';
import { expiryBucketPath, expiryFields } from './expiry.js';
import { isDuplicateKey, type IndexSpec } from './indexes.js';

const LOGINS = 'lti_logins';
const NONCES = 'lti_used_nonces';
/** One insert-only fact per consumed state, keyed by the state: the unique key is what makes consumption atomic. */
const USED_STATES = 'lti_used_states';
const LOGIN_MAX_AGE_SECONDS = 3600;
const USED_STATE_AGE_SECONDS = 3600;

export const LAUNCH_STORE_INDEXES: readonly IndexSpec[] = [
  { collection: LOGINS, keys: { state: 1 }, name: 'state_unique', unique: true },
  // Kept from when records lived an hour: deployments already have it, and it removes their older records.
  {
    collection: LOGINS,
    keys: { createdAt: 1 },
    name: 'createdAt_ttl',
    expireAfterSeconds: LOGIN_MAX_AGE_SECONDS,
    expiryBucket: true,
  },
  // A login is useless once its state expired, so it is kept exactly that long (not the hour above).
  { collection: LOGINS, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0, expiryBucket: true },
  { collection: USED_STATES, keys: { state: 1 }, name: 'state_unique', unique: true },
  // A used fact only has to outlive its login record (expiresAt above), which never lives past an hour.
  {
    collection: USED_STATES,
    keys: { usedAt: 1 },
    name: 'usedAt_ttl',
    expireAfterSeconds: USED_STATE_AGE_SECONDS,
    expiryBucket: true,
  },
  // Only read to name a refused token a replay (nonceUsed), never to accept one.
  { collection: USED_STATES, keys: { nonce: 1 }, name: 'nonce' },
  // No longer written (a used state's fact carries its nonce); kept so its last records still expire.
  { collection: NONCES, keys: { key: 1 }, name: 'key_unique', unique: true },
  { collection: NONCES, keys: { createdAt: 1 }, name: 'createdAt_ttl', expireAfterSeconds: 86400 },
];

export function createLaunchStore(connection: Connection): LaunchStore {
  const Logins = connection.model<LoginRecord>(
    'LtiLoginRecord',
    new Schema<LoginRecord>(
      {
        state: { type: String, required: true },
        nonce: { type: String, required: true },
        issuer: { type: String, required: true },
        clientId: { type: String, required: true },
        platformId: { type: String, required: true },
        loginParams: { type: Schema.Types.Mixed, default: undefined },
        storage: { type: Schema.Types.Mixed, default: undefined },
        createdAt: { type: Date, default: () => new Date() },
        expiresAt: { type: Date, required: true },
        usedAt: { type: Date, default: null },
        ...expiryBucketPath,
      },
      { collection: LOGINS, minimize: false },
    ),
  );
  const UsedStates = connection.model(
    'LtiUsedState',
    new Schema(
      {
        state: { type: String, required: true },
        nonce: String,
        usedAt: { type: Date, required: true },
        ...expiryBucketPath,
      },
      { collection: USED_STATES },
    ),
  );

  // Every launch writes a login and a used fact and reads the login back: through the driver, since
  // mongoose's documents (casting, validation, hooks) cost more CPU than the round trip's own work. What is
  // written is built here, typed by LoginRecord; the schemas above still declare the shape.
  const logins = Logins.collection;
  const usedStates = UsedStates.collection;
  return {
    async saveLogin(login) {
      const createdAt = new Date();
      const dueAt = Math.min(login.expiresAt.getTime(), createdAt.getTime() + LOGIN_MAX_AGE_SECONDS * 1000);
      const record: Omit<LoginRecord, 'usedAt'> & { usedAt: null; expiryBucket: number } = {
        ...login,
        createdAt,
        usedAt: null,
        ...expiryFields(new Date(dueAt)),
      };
      await logins.insertOne(record, { ignoreUndefined: true });
    },
    async consumeLogin(state, maxAgeMs, now = new Date()) {
      // Not a conditional update (FerretDB v1 lets two concurrent ones both "succeed", docs/architecture.md
      // "Stores"): the first writer of the state's `used` fact wins, every other gets a duplicate key.
      const login = (await logins.findOne({ state })) as LoginRecord | null;
      if (!login) return { status: 'unknown' };
      // Consumed before used facts existed (the old code set usedAt on the record itself).
      if (login.usedAt) return { status: 'reused' };
      try {
        await usedStates.insertOne({
          state,
          nonce: login.nonce,
          usedAt: now,
          ...expiryFields(new Date(now.getTime() + USED_STATE_AGE_SECONDS * 1000)),
        });
      } catch (err) {
        if (isDuplicateKey(err)) return { status: 'reused' };
        throw err;
      }
      if (now.getTime() - login.createdAt.getTime() > maxAgeMs) return { status: 'expired' };
      return { status: 'ok', login };
    },
    async findLogin(state) {
      return (await Logins.findOne({ state }).lean<LoginRecord>()) ?? undefined;
    },
    async nonceUsed(nonce) {
      return (await UsedStates.exists({ nonce })) !== null;
    },
  };
}
