import { AppError } from '../errors.js';
import type { LaunchSession, NewLaunchSession, SessionStore } from './launch-session-store.js';

/**
 * A reload of the LMS frame keeps its launch: the launcher holds a short-lived, single-use reload token in
 * the frame's sessionStorage (which survives a reload of that frame, not another tab) and trades it, after
 * the reload, for a bearer token of the same launch. The launch's bearer token itself never goes to storage.
 */
export interface ReloadTokenRecord {
  /** sha256 of the token: the document's unique id. */
  tokenHash: string;
  /** The launch it reopens, as it was when the token was issued (and when it expires). */
  launch: NewLaunchSession & { id: string; expiresAt: Date };
  issuedAt: Date;
  expiresAt: Date;
}

/** Implemented in src/db/reload-token-store.ts. */
export interface ReloadTokenStore {
  add(record: ReloadTokenRecord): Promise<void>;
  get(tokenHash: string): Promise<ReloadTokenRecord | undefined>;
  /**
   * Marks the token used by inserting a claim with its hash as unique id: true for the one caller that
   * inserted it, false for every other (atomic on every store, FerretDB included; no update involved).
   */
  claim(tokenHash: string, expiresAt: Date): Promise<boolean>;
}

export interface ReloadTokensDeps {
  store: ReloadTokenStore;
  sessions: Pick<SessionStore, 'create'>;
  ttlMs: number;
  randomToken: () => string;
  hash: (token: string) => string;
  now?: () => Date;
}

export function createReloadTokens(deps: ReloadTokensDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    /** A new reload token for the launch; it lasts ttlMs, never beyond the launch itself. */
    async issue(launch: LaunchSession): Promise<{ reloadToken: string; expiresAt: Date }> {
      const issuedAt = now();
      const expiresAt = new Date(Math.min(issuedAt.getTime() + deps.ttlMs, launch.expiresAt.getTime()));
      const reloadToken = deps.randomToken();
      const { createdAt: _created, ...kept } = launch;
      await deps.store.add({ tokenHash: deps.hash(reloadToken), launch: kept, issuedAt, expiresAt });
      return { reloadToken, expiresAt };
    },

    /**
     * Trades a reload token, once, for a bearer token of the same launch (same user, course, class and
     * end), or refuses with SESSION_RELOAD_INVALID: unknown, expired, already used, or its launch ended.
     */
    async redeem(reloadToken: string): Promise<{ token: string; session: LaunchSession }> {
      const at = now();
      const tokenHash = deps.hash(reloadToken);
      const record = await deps.store.get(tokenHash);
      const invalid = new AppError('SESSION_RELOAD_INVALID');
      if (!record || record.expiresAt.getTime() <= at.getTime()) throw invalid;
      const { id: _id, expiresAt: launchEnds, ...launch } = record.launch;
      const left = launchEnds.getTime() - at.getTime();
      if (left <= 0) throw invalid;
      if (!(await deps.store.claim(tokenHash, record.expiresAt))) throw invalid;
      // A bearer token of its own that ends when the launch does (the old one lapses by itself).
      return deps.sessions.create(launch, left);
    },
  };
}

export type ReloadTokens = ReturnType<typeof createReloadTokens>;
