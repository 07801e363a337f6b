import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { AppError } from '../errors.js';
import type { LiveKitGateway } from '../livekit/gateway.js';
import type { NewLaunchSession } from '../lti/launch-session-store.js';
import {
  activitySettingsSchema,
  defaultSettings,
  type ActivitySettings,
  type ActivityStore,
} from '../rooms/activity-settings.js';
import type { Role } from '../rooms/grants.js';
import { identityIn, namespaceOf, roomKeyOf, SPACE_DEPLOYMENT } from '../rooms/room-owner.js';
import type { Member, RoomService } from '../rooms/room-service.js';
import type { RoomStore, SessionRecord } from '../rooms/room-store.js';
import type { ApiKey, ApiKeyStore } from './api-keys.js';

/** Launch sessions and activities of a space are filed under its key's namespace (src/rooms/room-owner.ts). */
const spacePlatformId = (apiKeyId: string): string => namespaceOf({ kind: 'space', apiKeyId });

export interface SpaceWebhooks {
  url: string;
  events?: string[];
}

/** One integrator room: unique per (API key, integrator's id). Its settings live in an Activity. */
export interface Space {
  id: string;
  apiKeyId: string;
  spaceId: string;
  /** Also the LiveKit room name (room_id in the API). */
  roomKey: string;
  activityId: string;
  /** scrypt `salt:hash`, hex. */
  passcodeHash?: string;
  /** Where session/participant events are delivered (src/integrations/webhook-outbox.ts). */
  webhooks?: SpaceWebhooks;
  /** HMAC key for webhook signatures; created with the first webhooks and shown to the integrator once. */
  webhookSecret?: string;
  createdAt: Date;
  updatedAt: Date;
}

export type SpacePatch = Partial<Pick<Space, 'activityId' | 'passcodeHash' | 'webhooks' | 'webhookSecret'>>;

export interface SpaceStore {
  /** Inserts unless the (apiKeyId, spaceId) pair exists (unique index); returns the stored one either way. */
  create(space: Space): Promise<{ space: Space; created: boolean }>;
  find(apiKeyId: string, spaceId: string): Promise<Space | undefined>;
  get(id: string): Promise<Space | undefined>;
  findByRoomKeys(apiKeyId: string, roomKeys: string[]): Promise<Space[]>;
  update(id: string, patch: SpacePatch): Promise<Space>;
}

/** A per-user join link: only the token's hash is stored; reusable until it expires. */
export interface JoinLink {
  tokenHash: string;
  spaceRef: string;
  apiKeyId: string;
  user: { id: string; name: string };
  role: Role;
  createdAt: Date;
  expiresAt: Date;
}

export interface JoinLinkStore {
  create(link: JoinLink): Promise<void>;
  findValid(tokenHash: string, now: Date): Promise<JoinLink | undefined>;
}

export type SpaceSettingsInput = Partial<
  Pick<
    ActivitySettings,
    'title' | 'audioOnly' | 'publishers' | 'waitingRoom' | 'joinBeforeInstructor' | 'maxParticipants'
  >
>;

export interface SpaceLaunchInput {
  id: string;
  user: { id: string; name: string; role?: Role; leader?: boolean };
  settings?: SpaceSettingsInput;
  passcode?: string;
  webhooks?: SpaceWebhooks;
}

export interface SpaceLaunchResult {
  created: boolean;
  body: {
    client_url: string;
    room_id: string;
    session_id: string | null;
    user_id: string;
    /** Only in the response that created the secret (the first launch with webhooks). */
    webhook_secret?: string;
  };
}

export interface LiveSession {
  roomId: string;
  spaceId: string;
  startTime: string;
  currentPeerCount: number;
  recordingCount: 0;
  livestreamCount: 0;
}

export interface RoomStatus {
  room_id: string;
  is_live: boolean;
  participants_count: number;
  started_at: string | null;
  session_id: string | null;
}

export interface SpaceServiceDeps {
  spaces: SpaceStore;
  links: JoinLinkStore;
  apiKeys: Pick<ApiKeyStore, 'get'>;
  activities: ActivityStore;
  rooms: Pick<RoomService, 'ensureRoom'>;
  roomStore: Pick<RoomStore, 'get' | 'currentSession'>;
  livekit: Pick<LiveKitGateway, 'listRooms'>;
  /** Where `/space/join` is served. */
  publicUrl: string;
  linkTtlMs: number;
  now?: () => Date;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export async function hashPasscode(passcode: string): Promise<string> {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${(await scryptAsync(passcode, salt, 32)).toString('hex')}`;
}

export async function passcodeMatches(passcode: string, stored: string): Promise<boolean> {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const given = await scryptAsync(passcode, Buffer.from(salt, 'hex'), 32);
  return timingSafeEqual(given, Buffer.from(hash, 'hex'));
}

const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const roleOf = (user: SpaceLaunchInput['user']): Role => (user.leader ? 'instructor' : (user.role ?? 'participant'));
const sameSettings = (a: ActivitySettings, b: ActivitySettings) => JSON.stringify(a) === JSON.stringify(b);
const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export function createSpaceService(deps: SpaceServiceDeps) {
  const now = deps.now ?? (() => new Date());

  const openSession = async (roomKey: string): Promise<SessionRecord | undefined> => {
    if (!(await deps.roomStore.get(roomKey))?.currentSessionId) return undefined;
    const session = await deps.roomStore.currentSession(roomKey);
    return session && !session.endedAt ? session : undefined;
  };

  const newActivity = async (key: ApiKey, settings: ActivitySettings): Promise<string> =>
    (
      await deps.activities.create({
        platformId: spacePlatformId(key.id),
        deploymentId: SPACE_DEPLOYMENT,
        settings,
        createdBy: `api-key:${key.id}`,
      })
    ).id;

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
    if (!existing) {
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
        createdAt: at,
        updatedAt: at,
      });
      return { ...result, newSecret: result.created ? result.space.webhookSecret : undefined };
    }
    const patch: SpacePatch = {};
    if (passcodeHash) patch.passcodeHash = passcodeHash;
    if (input.webhooks) patch.webhooks = input.webhooks;
    if (input.webhooks && !existing.webhookSecret) patch.webhookSecret = newWebhookSecret();
    if (input.settings) {
      const current = (await deps.activities.find(spacePlatformId(key.id), existing.activityId))?.settings;
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

  const memberOf = (
    key: ApiKey,
    space: Space,
    user: { id: string; name: string },
    role: Role,
    settings: ActivitySettings,
  ): Member => ({
    owner: { kind: 'space', apiKeyId: key.id, spaceId: space.spaceId },
    activityId: space.activityId,
    userId: user.id,
    name: user.name,
    role,
    settings,
  });

  const linkFor = async (token: string | undefined): Promise<{ link: JoinLink; space: Space; key: ApiKey }> => {
    const link = token && LINK_TOKEN.test(token) ? await deps.links.findValid(hashToken(token), now()) : undefined;
    const [space, key] = link
      ? await Promise.all([deps.spaces.get(link.spaceRef), deps.apiKeys.get(link.apiKeyId)])
      : [undefined, undefined];
    if (!link || !space || !key || key.revokedAt) throw new AppError('SPACE_LINK_INVALID');
    return { link, space, key };
  };

  return {
    /** POST /api/v1/spaces/launch: the space (created once), a join link for this user, and its status. */
    async launch(key: ApiKey, input: SpaceLaunchInput): Promise<SpaceLaunchResult> {
      const { space, created, newSecret } = await upsertSpace(key, input);
      const activity = await deps.activities.find(spacePlatformId(key.id), space.activityId);
      const role = roleOf(input.user);
      const room = await deps.rooms.ensureRoom(
        memberOf(key, space, input.user, role, activity?.settings ?? defaultSettings('Live class')),
      );
      const token = randomBytes(32).toString('base64url');
      const at = now();
      await deps.links.create({
        tokenHash: hashToken(token),
        spaceRef: space.id,
        apiKeyId: key.id,
        user: { id: input.user.id, name: input.user.name },
        role,
        createdAt: at,
        expiresAt: new Date(at.getTime() + deps.linkTtlMs),
      });
      const session = await openSession(room.key);
      return {
        created,
        body: {
          client_url: `${deps.publicUrl}/space/join?t=${token}`,
          room_id: room.key,
          session_id: session?.sessionId ?? null,
          user_id: identityIn({ kind: 'space', apiKeyId: key.id }, input.user.id),
          ...(newSecret ? { webhook_secret: newSecret } : {}),
        },
      };
    },

    /** Whether the link is valid and must ask for a passcode (throws SPACE_LINK_INVALID otherwise). */
    async inspectLink(token: string | undefined): Promise<{ passcodeRequired: boolean; spaceRef: string }> {
      const { space } = await linkFor(token);
      return { passcodeRequired: Boolean(space.passcodeHash), spaceRef: space.id };
    },

    /** Redeems a join link into a launch-like session for the launcher (SessionStore.create). */
    async enter(token: string | undefined, passcode?: string): Promise<NewLaunchSession> {
      const { link, space, key } = await linkFor(token);
      if (space.passcodeHash && !(passcode && (await passcodeMatches(passcode, space.passcodeHash)))) {
        throw new AppError('SPACE_PASSCODE_INVALID');
      }
      return {
        messageType: 'LtiResourceLinkRequest',
        platformId: spacePlatformId(key.id),
        issuer: key.name,
        clientId: key.id,
        deploymentId: SPACE_DEPLOYMENT,
        user: link.user,
        role: link.role,
        ltiRoles: [],
        resourceLink: { id: space.spaceId },
        activityHints: [],
        activityId: space.activityId,
        services: {},
        custom: {},
      };
    },

    /** Rooms of this key that the SFU has open and that have an open session. */
    async liveSessions(apiKeyId: string): Promise<LiveSession[]> {
      const active = (await deps.livekit.listRooms()).map((r) => r.name);
      if (active.length === 0) return [];
      const spaces = await deps.spaces.findByRoomKeys(apiKeyId, active);
      const live = await Promise.all(
        spaces.map(async (space) => {
          const session = await openSession(space.roomKey);
          return session ? toLiveSession(space, session) : undefined;
        }),
      );
      return live.filter((s): s is LiveSession => s !== undefined);
    },

    async liveSession(apiKeyId: string, roomId: string): Promise<LiveSession> {
      const [space] = await deps.spaces.findByRoomKeys(apiKeyId, [roomId]);
      const session = space && (await openSession(space.roomKey));
      if (!space || !session) throw new AppError('NOT_LIVE');
      return toLiveSession(space, session);
    },

    async roomStatus(apiKeyId: string, roomId: string): Promise<RoomStatus> {
      const [space] = await deps.spaces.findByRoomKeys(apiKeyId, [roomId]);
      if (!space) throw new AppError('SPACE_ROOM_NOT_FOUND');
      const session = await openSession(space.roomKey);
      return {
        room_id: space.roomKey,
        is_live: Boolean(session),
        participants_count: session?.present.length ?? 0,
        started_at: session ? new Date(session.startedAt).toISOString() : null,
        session_id: session?.sessionId ?? null,
      };
    },
  };
}

function toLiveSession(space: Space, session: SessionRecord): LiveSession {
  return {
    roomId: space.roomKey,
    spaceId: space.spaceId,
    startTime: new Date(session.startedAt).toISOString(),
    currentPeerCount: session.present.length,
    recordingCount: 0,
    livestreamCount: 0,
  };
}

export type SpaceService = ReturnType<typeof createSpaceService>;
