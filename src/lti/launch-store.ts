import type { StorageOffer } from './platform-storage.js';

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
  /** The platform storage the LMS offered (`lti_storage_target`): the launch may come back without the cookie. */
  storage?: StorageOffer;
  createdAt: Date;
  /** When the state stops being valid; the record is removed then (TTL index or cleanup job). */
  expiresAt: Date;
  /** When the state was consumed (from its `used` fact). */
  usedAt?: Date;
}

export type ConsumeResult = { status: 'ok'; login: LoginRecord } | { status: 'unknown' | 'expired' | 'reused' };

/** Implemented in src/db/launch-store.ts. */
export interface LaunchStore {
  saveLogin(login: Omit<LoginRecord, 'createdAt' | 'usedAt'>): Promise<void>;
  /**
   * Marks the state used, atomically: of two launches with one state, only one gets 'ok'. The used fact
   * keeps the login's nonce, which is what makes each nonce usable once (see checkNonce in
   * src/lti/launch/validate-launch.ts).
   */
  consumeLogin(state: string, maxAgeMs: number, now?: Date): Promise<ConsumeResult>;
  findLogin(state: string): Promise<LoginRecord | undefined>;
  /** Whether a consumed state's login carried this nonce: names a refused token as a replay. */
  nonceUsed(nonce: string): Promise<boolean>;
}
