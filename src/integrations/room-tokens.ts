import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { ApiKey } from './api-keys.js';
import type { SpaceService } from './space-service.js';
import type { Space, SpaceStore } from './space-store.js';
import type { TokenCreate, TokenJson } from './video-room-wire.js';
import type { RefreshGrant, VideoRoomStore } from './video-room-store.js';

export interface RoomTokenDeps {
  spaces: Pick<SpaceService, 'joinLink'>;
  spaceStore: Pick<SpaceStore, 'get'>;
  store: Pick<VideoRoomStore, 'addRefresh' | 'findRefresh' | 'useRefresh'>;
  /** An access token's time to live when none is asked for (config spaces.joinLinkTtlMinutes). */
  defaultTtlSeconds: number;
  now?: () => Date;
}

/** How long a refresh token can be traded for a new access token. */
export const REFRESH_TTL_MS = 7 * 24 * 3600_000;
const REFRESH_PREFIX = 'rt_';
const REFRESH_SHAPE = /^rt_[A-Za-z0-9_-]{43}$/;
const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * Client access tokens of a room: a join link of the space (space-joins.ts redeems it for the launcher) and
 * a refresh token that gives one new pair. Single use rests on a unique insert of the use (any process,
 * any two requests at once: one wins); only the refresh token's hash is stored.
 */
export function createRoomTokens(deps: RoomTokenDeps) {
  const now = deps.now ?? (() => new Date());

  const issue = async (
    key: ApiKey,
    space: Space,
    user: { id: string; name: string },
    role: RefreshGrant['role'],
    ttlSeconds: number,
  ): Promise<TokenJson> => {
    const link = await deps.spaces.joinLink(key, space, { ...user, role }, ttlSeconds * 1000);
    const refresh = `${REFRESH_PREFIX}${randomBytes(32).toString('base64url')}`;
    const createdAt = now();
    const expiresAt = new Date(createdAt.getTime() + REFRESH_TTL_MS);
    await deps.store.addRefresh({
      tokenHash: sha256(refresh),
      spaceRef: space.id,
      apiKeyId: key.id,
      user,
      role,
      ttlSeconds,
      createdAt,
      expiresAt,
    });
    return {
      room_id: space.roomKey,
      user_id: link.identity,
      role,
      token: new URL(link.joinUrl).searchParams.get('t') ?? '',
      join_url: link.joinUrl,
      expires_at: link.expiresAt.toISOString(),
      refresh_token: refresh,
      refresh_expires_at: expiresAt.toISOString(),
    };
  };

  return {
    create: (key: ApiKey, space: Space, input: TokenCreate): Promise<TokenJson> =>
      issue(
        key,
        space,
        { id: input.user.id, name: input.user.name },
        input.user.role,
        input.ttl_seconds ?? deps.defaultTtlSeconds,
      ),

    /** A new pair for an unexpired, unused refresh token of this key; VIDEO_REFRESH_INVALID otherwise. */
    async refresh(key: ApiKey, token: string): Promise<{ token: TokenJson; space: Space }> {
      const hash = REFRESH_SHAPE.test(token) ? sha256(token) : undefined;
      const grant = hash ? await deps.store.findRefresh(hash, now()) : undefined;
      // Another key's token is as unknown as a made-up one.
      if (!hash || !grant || grant.apiKeyId !== key.id) throw new AppError('VIDEO_REFRESH_INVALID');
      if (!(await deps.store.useRefresh(hash, now()))) throw new AppError('VIDEO_REFRESH_INVALID');
      const space = await deps.spaceStore.get(grant.spaceRef);
      if (!space) throw new AppError('VIDEO_REFRESH_INVALID');
      return { token: await issue(key, space, grant.user, grant.role, grant.ttlSeconds), space };
    },
  };
}

export type RoomTokens = ReturnType<typeof createRoomTokens>;
