import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { LiveKitGateway } from '../livekit/gateway.js';
import {
  activitySettingsSchema,
  defaultSettings,
  type ActivitySettings,
  type ActivityStore,
} from '../rooms/activity-settings.js';
import type { Role } from '../rooms/grants.js';
import { identityIn, namespaceOf, roomKeyOf, SPACE_DEPLOYMENT } from '../rooms/room-owner.js';
import type { RoomService } from '../rooms/room-service.js';
import type { RoomStore } from '../rooms/room-store.js';
import type { ApiKey } from './api-keys.js';
import { issueJoinLink } from './space-joins.js';
import { hashPasscode } from './space-passcodes.js';
import type { JoinLinkStore, Space, SpaceInstructor, SpacePatch, SpaceStore, SpaceWebhooks } from './space-store.js';
import type { SessionView, SpaceLaunch } from './space-wire.js';
import type { VideoRoomStore } from './video-room-store.js';

export type SpaceSettingsInput = Partial<
  Pick<
    ActivitySettings,
    'title' | 'audioOnly' | 'publishers' | 'waitingRoom' | 'joinBeforeInstructor' | 'maxParticipants' | 'recording'
  >
>;

export interface SpaceLaunchInput {
  id: string;
  /** Absent: a guest link (space-joins.ts asks each person following it for a name). */
  user?: { id: string; name: string; role: Role };
  settings?: SpaceSettingsInput;
  passcode?: string;
  webhooks?: SpaceWebhooks;
}

/** A space with its open class session. */
export interface LiveSpace {
  space: Space;
  session: SessionView;
}

export interface SpaceServiceDeps {
  spaces: SpaceStore;
  links: Pick<JoinLinkStore, 'create'>;
  activities: ActivityStore;
  rooms: Pick<RoomService, 'ensureRoom'>;
  roomStore: Pick<RoomStore, 'get' | 'currentClassSession'>;
  livekit: Pick<LiveKitGateway, 'listRooms'>;
  /** Rooms deleted through /api/v1/rooms: no join link is issued for them any more. */
  deletions?: Pick<VideoRoomStore, 'deletion'>;
  /** Where `/space/join` and `/api/v1` are served. */
  publicUrl: string;
  linkTtlMs: number;
  now?: () => Date;
}

/** Who an id-only launch's link stands for until its follower names themselves. */
const GUEST = { id: 'guest', name: 'Guest' } as const;
const sameSettings = (a: ActivitySettings, b: ActivitySettings) => JSON.stringify(a) === JSON.stringify(b);
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;
/** Activities of a space are filed under its key's namespace, as its launch sessions are. */
const namespace = (key: ApiKey): string => namespaceOf({ kind: 'space', apiKeyId: key.id });

/** The integrator API's spaces: launch (create or update, then a join link), live sessions, room status. */
export function createSpaceService(deps: SpaceServiceDeps) {
  const now = deps.now ?? (() => new Date());

  const openSession = async (roomKey: string): Promise<SessionView | undefined> => {
    if (!(await deps.roomStore.get(roomKey))?.currentSessionId) return undefined;
    const session = await deps.roomStore.currentClassSession(roomKey);
    return session && !session.endedAt ? session : undefined;
  };

  const newActivity = async (key: ApiKey, settings: ActivitySettings): Promise<string> =>
    (
      await deps.activities.create({
        platformId: namespace(key),
        deploymentId: SPACE_DEPLOYMENT,
        settings,
        createdBy: `api-key:${key.id}`,
      })
    ).id;

  const createSpace = async (
    key: ApiKey,
    input: SpaceLaunchInput,
    passcodeHash: string | undefined,
    instructor?: SpaceInstructor,
  ) => {
    const settings = activitySettingsSchema.parse({ ...defaultSettings('Live class'), ...input.settings });
    const at = now();
    // Two concurrent first launches may both create an activity; the unique index keeps one space.
    const result = await deps.spaces.create({
      id: `spc_${randomBytes(12).toString('base64url')}`,
      apiKeyId: key.id,
      spaceId: input.id,
      roomKey: roomKeyOf({ kind: 'space', apiKeyId: key.id, spaceId: input.id }),
      activityId: await newActivity(key, settings),
      passcodeHash,
      webhooks: input.webhooks,
      webhookSecret: input.webhooks ? newWebhookSecret() : undefined,
      ...(instructor ? { instructor } : {}),
      createdAt: at,
      updatedAt: at,
    });
    return { ...result, newSecret: result.created ? result.space.webhookSecret : undefined };
  };

  const updateSpace = async (key: ApiKey, existing: Space, input: SpaceLaunchInput, passcodeHash?: string) => {
    const patch: SpacePatch = {};
    if (passcodeHash) patch.passcodeHash = passcodeHash;
    if (input.webhooks) patch.webhooks = input.webhooks;
    if (input.webhooks && !existing.webhookSecret) patch.webhookSecret = newWebhookSecret();
    if (input.settings) {
      const current = (await deps.activities.find(namespace(key), existing.activityId))?.settings;
      const next = activitySettingsSchema.parse({ ...(current ?? defaultSettings('Live class')), ...input.settings });
      // Activities are immutable here: changed settings get a new one; open launches keep theirs until relaunch.
      if (!current || !sameSettings(current, next)) patch.activityId = await newActivity(key, next);
    }
    const space = Object.keys(patch).length > 0 ? await deps.spaces.update(existing.id, patch) : existing;
    // A concurrent launch may have stored its own secret; only the one that is stored is handed out.
    const newSecret =
      patch.webhookSecret && space.webhookSecret === patch.webhookSecret ? patch.webhookSecret : undefined;
    return { space, created: false, newSecret };
  };

  /**
   * The space for this key and id, created on first use; later calls may change settings/passcode/webhooks.
   * `newSecret` is the webhook secret when this call created it (the only time the integrator sees it).
   */
  const upsertSpace = async (
    key: ApiKey,
    input: SpaceLaunchInput,
  ): Promise<{ space: Space; created: boolean; newSecret?: string }> => {
    const existing = await deps.spaces.find(key.id, input.id);
    const passcodeHash = input.passcode ? await hashPasscode(input.passcode) : undefined;
    return existing ? updateSpace(key, existing, input, passcodeHash) : createSpace(key, input, passcodeHash);
  };

  const joinLink = async (
    key: ApiKey,
    space: Space,
    user: SpaceLaunchInput['user'],
    ttlMs = deps.linkTtlMs,
  ): Promise<Omit<SpaceLaunch, 'created'>> => {
    if (await deps.deletions?.deletion(key.id, space.spaceId)) throw new AppError('VIDEO_ROOM_DELETED');
    const activity = await deps.activities.find(namespace(key), space.activityId);
    const role = user?.role ?? 'participant';
    const owner = { kind: 'space', apiKeyId: key.id, spaceId: space.spaceId } as const;
    const who = user ?? GUEST;
    const room = await deps.rooms.ensureRoom({
      owner,
      activityId: space.activityId,
      userId: who.id,
      name: who.name,
      role,
      settings: activity?.settings ?? defaultSettings('Live class'),
    });
    const link = {
      spaceRef: space.id,
      apiKeyId: key.id,
      user: { id: who.id, name: who.name },
      role,
      ...(user ? {} : { guest: true }),
      createdAt: now(),
    };
    const token = await issueJoinLink(deps.links, link, ttlMs);
    return {
      joinUrl: `${deps.publicUrl}/space/join?t=${token}`,
      roomKey: room.key,
      session: await openSession(room.key),
      // A guest's identity is chosen when they name themselves; the link stands for nobody yet.
      identity: user ? identityIn(owner, user.id) : '',
      apiBase: `${deps.publicUrl}/api/v1`,
      expiresAt: new Date(link.createdAt.getTime() + ttlMs),
    };
  };

  const ownSpace = async (apiKeyId: string, roomId: string): Promise<Space | undefined> =>
    (await deps.spaces.findByRoomKeys(apiKeyId, [roomId]))[0];

  return {
    /** POST /api/v1/spaces/launch: the space (created once), a join link for this user, and its status. */
    async launch(key: ApiKey, input: SpaceLaunchInput): Promise<SpaceLaunch> {
      const { space, created, newSecret } = await upsertSpace(key, input);
      const link = await joinLink(key, space, input.user);
      return { ...link, created, newWebhookSecret: newSecret };
    },

    /** A join link for one of the key's spaces; without `user`, a guest link (always a participant). */
    joinLink,

    /** A new space only (POST /api/live-room/create): SPACE_EXISTS when the key already has this id. */
    async create(key: ApiKey, input: SpaceLaunchInput, instructor?: SpaceInstructor): Promise<Space> {
      if (await deps.spaces.find(key.id, input.id)) throw new AppError('SPACE_EXISTS');
      const { space, created } = await createSpace(key, input, undefined, instructor);
      if (!created) throw new AppError('SPACE_EXISTS');
      return space;
    },

    /** Rooms of this key that the SFU has open and that have an open session. */
    async liveSessions(apiKeyId: string): Promise<LiveSpace[]> {
      const active = (await deps.livekit.listRooms()).map((r) => r.name);
      if (active.length === 0) return [];
      const spaces = await deps.spaces.findByRoomKeys(apiKeyId, active);
      const live = await Promise.all(
        spaces.map(async (space) => {
          const session = await openSession(space.roomKey);
          return session ? { space, session } : undefined;
        }),
      );
      return live.filter((s): s is LiveSpace => s !== undefined);
    },

    /** One of the key's rooms with its open session; SPACE_NOT_LIVE when it has none (or is not the key's). */
    async liveSession(apiKeyId: string, roomId: string): Promise<LiveSpace> {
      const space = await ownSpace(apiKeyId, roomId);
      const session = space && (await openSession(space.roomKey));
      if (!space || !session) throw new AppError('SPACE_NOT_LIVE');
      return { space, session };
    },

    /** One of the key's rooms and its open session, if any; SPACE_ROOM_NOT_FOUND when not the key's. */
    async roomStatus(apiKeyId: string, roomId: string): Promise<{ space: Space; session?: SessionView }> {
      const space = await ownSpace(apiKeyId, roomId);
      if (!space) throw new AppError('SPACE_ROOM_NOT_FOUND');
      return { space, session: await openSession(space.roomKey) };
    },
  };
}

export type SpaceService = ReturnType<typeof createSpaceService>;
