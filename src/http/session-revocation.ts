import { AppError } from '../errors.js';
import type { ApiKey } from '../integrations/api-keys.js';
import type { Platform } from '../lti/platform-store.js';
import type { LaunchSession, SessionStore } from '../lti/launch-session-store.js';
import { ownerRefOf } from '../rooms/room-owner.js';

/** Whether whoever opened a launch session (an LMS registration or an integrator API key) still vouches for it. */
export type SessionOwnerCheck = (session: LaunchSession) => Promise<boolean>;

/**
 * The owner of a session, looked up on every authenticated request. A key is read by its unique keyId and
 * never cached. A platform comes through the platform store's short cache (src/db/platform-store.ts): a
 * revocation made on this instance reaches its next request at once, since the store clears the cache
 * around its own writes; another instance sees it within PLATFORM_CACHE_TTL_MS (3 s). That bounds what a
 * revoked user can still do there to a few seconds of requests, and platforms change a few times a year,
 * while reading one on every request was a fifth of a launch's store round trips. A platform vouches while
 * it exists and is active, and only for sessions opened after it was last deactivated (so activating it
 * again does not revive them); a key while it is not revoked.
 */
export function sessionOwnerCheck(deps: {
  platforms: { get(id: string): Promise<Platform | undefined> };
  apiKeys: { get(id: string): Promise<ApiKey | undefined> };
  /** Rooms deleted through /api/v1/rooms: their launcher sessions end as a revoked key's do. */
  deletedRooms?: { deletion(apiKeyId: string, spaceId: string): Promise<unknown> };
}): SessionOwnerCheck {
  return async (session) => {
    const owner = ownerRefOf(session.platformId);
    if (owner.kind === 'space') {
      const [key, deleted] = await Promise.all([
        deps.apiKeys.get(owner.apiKeyId),
        session.resourceLink && deps.deletedRooms?.deletion(owner.apiKeyId, session.resourceLink.id),
      ]);
      return Boolean(key && !key.revokedAt && !deleted);
    }
    const platform = await deps.platforms.get(session.platformId);
    if (!platform?.active) return false;
    return !platform.deactivatedAt || session.createdAt.getTime() > platform.deactivatedAt.getTime();
  };
}

/**
 * The session store with the owner checked on every authenticate(): a session whose owner was revoked,
 * removed or deactivated answers 401 SESSION_REVOKED (with its sentence), however long it had left.
 */
export function revocableSessions(store: SessionStore, ownerVouches: SessionOwnerCheck): SessionStore {
  return {
    ...store,
    async authenticate(token, now) {
      const session = await store.authenticate(token, now);
      if (session && !(await ownerVouches(session))) throw new AppError('SESSION_REVOKED');
      return session;
    },
  };
}
