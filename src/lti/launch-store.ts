import { createHash, randomBytes } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import type { IndexSpec } from '../db/indexes.js';

/** What the tool remembers between the OIDC login and the launch it expects back. */
export interface LoginRecord {
  state: string;
  nonce: string;
  issuer: string;
  clientId: string;
  platformId: string;
  /**
   * The LMS's login parameters, so a blocked launch can be restarted in a new window. Absent when they were
   * too large to keep (src/lti/login.ts): then the only way back is a relaunch from the course.
   */
  loginParams?: Record<string, string>;
  createdAt: Date;
  /** When the state stops being valid; the record is removed then (TTL index or cleanup job). */
  expiresAt: Date;
  usedAt?: Date;
}

export type ConsumeResult = { status: 'ok'; login: LoginRecord } | { status: 'unknown' | 'expired' | 'reused' };

export interface LaunchStore {
  saveLogin(login: Omit<LoginRecord, 'createdAt' | 'usedAt'>): Promise<void>;
  /** Marks the state used, atomically: of two launches with one state, only one gets 'ok'. */
  consumeLogin(state: string, maxAgeMs: number, now?: Date): Promise<ConsumeResult>;
  findLogin(state: string): Promise<LoginRecord | undefined>;
  /** Records the nonce; false when it was seen before (a replay). */
  useNonce(issuer: string, nonce: string): Promise<boolean>;
}

const LOGINS = 'lti_logins';
const NONCES = 'lti_used_nonces';

export const LAUNCH_STORE_INDEXES: readonly IndexSpec[] = [
  { collection: LOGINS, keys: { state: 1 }, name: 'state_unique', unique: true },
  // Kept from when records lived an hour: deployments already have it, and it removes their older records.
  { collection: LOGINS, keys: { createdAt: 1 }, name: 'createdAt_ttl', expireAfterSeconds: 3600 },
  // A login is useless once its state expired, so it is kept exactly that long (not the hour above).
  { collection: LOGINS, keys: { expiresAt: 1 }, name: 'expiresAt_ttl', expireAfterSeconds: 0 },
  { collection: NONCES, keys: { key: 1 }, name: 'key_unique', unique: true },
  // Longer than any id_token we accept (exp + skew), so a replay inside its lifetime is always caught.
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
        createdAt: { type: Date, default: () => new Date() },
        expiresAt: { type: Date, required: true },
        usedAt: { type: Date, default: null },
      },
      { collection: LOGINS, minimize: false },
    ),
  );
  const Nonces = connection.model(
    'LtiUsedNonce',
    new Schema(
      { key: { type: String, required: true }, createdAt: { type: Date, default: () => new Date() } },
      { collection: NONCES },
    ),
  );

  return {
    async saveLogin(login) {
      await Logins.create(login);
    },
    async consumeLogin(state, maxAgeMs, now = new Date()) {
      const claimed = await Logins.findOneAndUpdate(
        { state, usedAt: null },
        { usedAt: now },
        { new: false },
      ).lean<LoginRecord>();
      if (claimed) {
        if (now.getTime() - claimed.createdAt.getTime() > maxAgeMs) return { status: 'expired' };
        return { status: 'ok', login: claimed };
      }
      const existing = await Logins.exists({ state });
      return { status: existing ? 'reused' : 'unknown' };
    },
    async findLogin(state) {
      return (await Logins.findOne({ state }).lean<LoginRecord>()) ?? undefined;
    },
    async useNonce(issuer, nonce) {
      const key = createHash('sha256').update(`${issuer}\n${nonce}`).digest('hex');
      try {
        await Nonces.create({ key });
        return true;
      } catch (err) {
        if ((err as { code?: unknown }).code === 11000) return false;
        throw err;
      }
    },
  };
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
