import { createHash } from 'node:crypto';
import type { LaunchSession, NewLaunchSession, SessionStore } from '../lti/launch-session-store.js';

/** One launcher session a join link opened: an inserted fact, never updated. */
export interface LinkSession {
  /** sha256 of the join link token. */
  linkHash: string;
  sessionId: string;
  /** sha256 of the session's bearer token: how the browser's cookie is recognised. */
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface LinkSessionStore {
  add(entry: LinkSession): Promise<void>;
  /** The link's unexpired sessions, newest first. */
  list(linkHash: string, now: Date): Promise<LinkSession[]>;
  has(linkHash: string, tokenHash: string, now: Date): Promise<boolean>;
  remove(linkHash: string, sessionIds: string[]): Promise<void>;
}

export interface LinkSessionDeps {
  store: LinkSessionStore;
  sessions: Pick<SessionStore, 'create' | 'authenticate' | 'revoke'>;
  /** Config `limits.sessionsPerJoinLink`. */
  maxPerLink: number;
  sessionTtlMs: number;
  now?: () => Date;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * Bounds what one join link can mint. A browser that already holds a session for the link (its cookie) gets
 * that session back; otherwise a new one is opened and the link's oldest sessions beyond `maxPerLink` end.
 * The newest wins rather than the oldest because a link belongs to one person: the one who just opened it
 * (on another device, or after clearing cookies) must get in, and LiveKit keeps one connection per identity
 * anyway. Counts come from the inserted facts, and pruning only deletes, so two tool processes converge on
 * the same newest `maxPerLink`; between an insert and its prune a link can briefly hold one more per
 * request in flight.
 */
export function createLinkSessions(deps: LinkSessionDeps) {
  const now = deps.now ?? (() => new Date());

  const prune = async (linkHash: string): Promise<void> => {
    const extra = (await deps.store.list(linkHash, now())).slice(deps.maxPerLink);
    if (extra.length === 0) return;
    const ids = extra.map((e) => e.sessionId);
    await Promise.all(ids.map((id) => deps.sessions.revoke(id)));
    await deps.store.remove(linkHash, ids);
  };

  return {
    /** The bearer token back when `held` (the browser's cookie) is a live session this link opened. */
    async reuse(linkToken: string, held: string | undefined): Promise<string | undefined> {
      if (!held) return undefined;
      const linkHash = sha256(linkToken);
      if (!(await deps.store.has(linkHash, sha256(held), now()))) return undefined;
      return (await deps.sessions.authenticate(held)) ? held : undefined;
    },

    /**
     * A new session for the link; older ones beyond the cap end (their launchers are asked to relaunch).
     * `capped: false` for a guest link, which many people share (each guest's own cookie still reuses).
     */
    async open(
      linkToken: string,
      session: NewLaunchSession,
      capped = true,
    ): Promise<{ token: string; session: LaunchSession }> {
      const created = await deps.sessions.create(session, deps.sessionTtlMs);
      const linkHash = sha256(linkToken);
      await deps.store.add({
        linkHash,
        sessionId: created.session.id,
        tokenHash: sha256(created.token),
        createdAt: created.session.createdAt,
        expiresAt: created.session.expiresAt,
      });
      if (capped) await prune(linkHash);
      return created;
    },
  };
}

export type LinkSessions = ReturnType<typeof createLinkSessions>;
