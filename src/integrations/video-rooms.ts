import { AppError } from '../errors.js';
import {
  activitySettingsSchema,
  defaultSettings,
  recordingOf,
  publicSettings,
  requireRetentionWithin,
  type ActivitySettings,
  type ActivityStore,
} from '../rooms/activity-settings.js';
import type { AuditStore } from '../rooms/audit-store.js';
import type { RoomControls } from '../rooms/room-controls.js';
import type { BulkAction } from '../rooms/room-actions.js';
import { namespaceOf, SPACE_DEPLOYMENT } from '../rooms/room-owner.js';
import type { Member } from '../rooms/room-service.js';
import type { ApiKey } from './api-keys.js';
import type { SpaceService } from './space-service.js';
import type { Space, SpaceStore } from './space-store.js';
import {
  decodeKeys,
  encodeKeys,
  type RoomCreate,
  type RoomListQuery,
  type RoomStatus,
  type RoomUpdate,
  type SessionAction,
  type SessionBulk,
  type VideoRoomJson,
} from './video-room-wire.js';
import type { RoomDeletion, RoomVersion, VideoRoomStore } from './video-room-store.js';

export interface VideoRoomDeps {
  spaces: SpaceService;
  spaceStore: Pick<SpaceStore, 'find' | 'findByRoomKeys' | 'listByKey' | 'update'>;
  store: VideoRoomStore;
  activities: ActivityStore;
  controls: Pick<RoomControls, 'room' | 'bulk'>;
  /** Changes of a room are audited as leader actions are, by `api-key:<id>`. */
  audit: Pick<AuditStore, 'append'>;
  /** The tool's recordings.retentionDays: a room keeps its recordings less long, never longer. */
  recordingRetentionDays?: number;
  now?: () => Date;
}

/** The leader's bulk actions a session's mute, unmute (allow again) or kick is made of. */
export function bulkActionsOf(action: SessionAction, kinds: readonly ('audio' | 'video')[]): BulkAction[] {
  if (action === 'kick') return ['remove-all'];
  const each = {
    mute: { audio: 'mute-all', video: 'mute-all-video' },
    unmute: { audio: 'allow-all-audio', video: 'allow-all-video' },
  } as const;
  return [...new Set(kinds)].map((kind) => each[action][kind]);
}

/** The activity's recording settings after a PATCH: as sent, a null retention or stream URL removed. */
function recordingChange(before: ActivitySettings, change: RoomUpdate): ActivitySettings['recording'] {
  const next: NonNullable<ActivitySettings['recording']> = { ...before.recording };
  if (change.recording !== undefined) next.auto = change.recording;
  if (change.recording_retention_days === null) delete next.retentionDays;
  else if (change.recording_retention_days !== undefined) next.retentionDays = change.recording_retention_days;
  if (change.stream_url === null) delete next.streamUrl;
  else if (change.stream_url !== undefined) next.streamUrl = change.stream_url;
  return next;
}

/** Tries at a change before answering VIDEO_ROOM_BUSY: each lost try means another change was stored. */
const VERSION_TRIES = 5;

const namespace = (apiKeyId: string): string => namespaceOf({ kind: 'space', apiKeyId });

/**
 * /api/v1/rooms: the key's spaces as rooms, with a name, settings in numbered versions, and a deletion.
 * A space's own document holds the activity and webhook URL joins use; it is written from the latest
 * version after each change (see `follow`), so it never rests on a read-modify-write of its own.
 */
export function createVideoRooms(deps: VideoRoomDeps) {
  const now = deps.now ?? (() => new Date());

  /** Version 1 is the space as created (or as a Lessonspace launch left it); later ones are stored facts. */
  const current = async (space: Space): Promise<RoomVersion> =>
    (await deps.store.latestVersion(space.id)) ?? {
      spaceRef: space.id,
      version: 1,
      activityId: space.activityId,
      webhookUrl: space.webhooks?.url ?? null,
      at: new Date(space.createdAt),
    };

  const settingsOf = async (apiKeyId: string, activityId: string): Promise<ActivitySettings> =>
    (await deps.activities.find(namespace(apiKeyId), activityId))?.settings ?? defaultSettings('Live class');

  const own = async (key: ApiKey, roomId: string): Promise<Space> => {
    const space = (await deps.spaceStore.findByRoomKeys(key.id, [roomId]))[0];
    if (!space) throw new AppError('SPACE_ROOM_NOT_FOUND');
    return space;
  };

  const json = async (
    space: Space,
    status: RoomStatus,
    options: { sessionId?: string; deletion?: RoomDeletion; version?: RoomVersion } = {},
  ): Promise<VideoRoomJson> => {
    const version = options.version ?? (await current(space));
    const settings = await settingsOf(space.apiKeyId, version.activityId);
    return {
      room_id: space.roomKey,
      name: space.spaceId,
      title: settings.title,
      max_participants: settings.maxParticipants,
      recording: recordingOf(settings).auto,
      recording_retention_days: recordingOf(settings).retentionDays ?? null,
      stream_target: publicSettings(settings).recording?.streamUrl ?? null,
      webhook_url: version.webhookUrl,
      status,
      version: version.version,
      session_id: options.sessionId ?? null,
      created_at: new Date(space.createdAt).toISOString(),
      updated_at: new Date(version.at).toISOString(),
      deleted_at: options.deletion ? new Date(options.deletion.at).toISOString() : null,
    };
  };

  const stateOf = async (key: ApiKey, space: Space) => {
    const deletion = await deps.store.deletion(key.id, space.spaceId);
    if (deletion) return { status: 'deleted' as const, deletion };
    const { session } = await deps.spaces.roomStatus(key.id, space.roomKey);
    return session ? { status: 'live' as const, sessionId: session.sessionId } : { status: 'idle' as const };
  };

  /** Writes the latest version into the space until what it wrote is still the latest (last writer converges). */
  const follow = async (space: Space): Promise<void> => {
    for (let i = 0; i < VERSION_TRIES; i++) {
      const latest = await current(space);
      const webhooks = { ...space.webhooks };
      if (latest.webhookUrl) webhooks.url = latest.webhookUrl;
      else delete webhooks.url;
      space = await deps.spaceStore.update(space.id, { activityId: latest.activityId, webhooks });
      if ((await current(space)).version === latest.version) return;
    }
  };

  /** The one who acts for the key on the SFU: an instructor of the room with the user id `api-key:<id>`. */
  const actorFor = async (key: ApiKey, space: Space): Promise<Member> => ({
    owner: { kind: 'space', apiKeyId: key.id, spaceId: space.spaceId },
    activityId: space.activityId,
    userId: `api-key:${key.id}`,
    name: key.name,
    role: 'instructor',
    settings: await settingsOf(key.id, space.activityId),
  });

  const live = async (key: ApiKey, space: Space): Promise<Space> => {
    if (await deps.store.deletion(key.id, space.spaceId)) throw new AppError('VIDEO_ROOM_DELETED');
    return space;
  };

  const audit = async (key: ApiKey, space: Space, action: string, target?: string) => {
    await deps.audit.append({
      roomKey: space.roomKey,
      actor: `api-key:${key.id}`,
      action,
      ...(target ? { target } : {}),
      at: now(),
    });
  };

  return {
    own,
    audit,
    /** Ends the room's live session on the SFU for everyone (audited by the controls as `end`). */
    endSession: async (key: ApiKey, space: Space) => deps.controls.room(await actorFor(key, space), 'end'),
    /** Mute, unmute or kick everyone (or a list) of the live session; answers whom. */
    async control(key: ApiKey, space: Space, action: SessionAction, options: SessionBulk): Promise<string[]> {
      const actor = await actorFor(key, space);
      const targets = { participants: options.participants, exclude: options.exclude };
      const reached = new Set<string>();
      for (const bulk of bulkActionsOf(action, options.kinds ?? ['audio', 'video'])) {
        for (const identity of await deps.controls.bulk(actor, bulk, targets)) reached.add(identity);
      }
      return [...reached];
    },
    /** The room, refused with VIDEO_ROOM_DELETED once deleted. */
    usable: async (key: ApiKey, roomId: string) => live(key, await own(key, roomId)),

    async create(key: ApiKey, input: RoomCreate): Promise<VideoRoomJson> {
      const settings = {
        title: input.title ?? input.name,
        ...(input.max_participants ? { maxParticipants: input.max_participants } : {}),
        ...(input.recording !== undefined ||
        input.recording_retention_days !== undefined ||
        input.stream_url !== undefined
          ? {
              recording: {
                ...(input.recording !== undefined ? { auto: input.recording } : {}),
                ...(input.recording_retention_days !== undefined
                  ? { retentionDays: input.recording_retention_days }
                  : {}),
                ...(input.stream_url !== undefined ? { streamUrl: input.stream_url } : {}),
              },
            }
          : {}),
      };
      requireRetentionWithin(
        activitySettingsSchema.parse(settings),
        deps.recordingRetentionDays,
        'recording_retention_days',
      );
      // Always with webhooks (maybe no URL yet), so the secret exists from the start and is shown once, here.
      const webhooks = input.webhook_url ? { url: input.webhook_url } : {};
      const space = await deps.spaces.create(key, { id: input.name, settings, webhooks });
      await audit(key, space, 'room-create');
      return {
        ...(await json(space, 'idle')),
        ...(space.webhookSecret ? { webhook_secret: space.webhookSecret } : {}),
      };
    },

    async get(key: ApiKey, roomId: string): Promise<VideoRoomJson> {
      const space = await own(key, roomId);
      return json(space, ...(await stateArgs(key, space)));
    },

    /**
     * A change is version n+1 of the settings read at version n, inserted under a unique (room, version):
     * of two concurrent changes one is stored first, the other reads it and is applied over it.
     */
    async update(key: ApiKey, roomId: string, change: RoomUpdate): Promise<VideoRoomJson> {
      const space = await live(key, await own(key, roomId));
      for (let i = 0; i < VERSION_TRIES; i++) {
        const base = await current(space);
        const before = await settingsOf(key.id, base.activityId);
        const after = activitySettingsSchema.parse({
          ...before,
          ...(change.title !== undefined ? { title: change.title } : {}),
          ...(change.max_participants !== undefined ? { maxParticipants: change.max_participants } : {}),
          ...(change.recording !== undefined ||
          change.recording_retention_days !== undefined ||
          change.stream_url !== undefined
            ? { recording: recordingChange(before, change) }
            : {}),
        });
        requireRetentionWithin(after, deps.recordingRetentionDays, 'recording_retention_days');
        const same = JSON.stringify(before) === JSON.stringify(after);
        const activityId = same
          ? base.activityId
          : (
              await deps.activities.create({
                platformId: namespace(key.id),
                deploymentId: SPACE_DEPLOYMENT,
                settings: after,
                createdBy: `api-key:${key.id}`,
              })
            ).id;
        const webhookUrl = change.webhook_url === undefined ? base.webhookUrl : change.webhook_url;
        const version = { spaceRef: space.id, version: base.version + 1, activityId, webhookUrl, at: now() };
        if (await deps.store.addVersion(version)) {
          await follow(space);
          await audit(key, space, `room-update:v${version.version}`);
          // As this change stored it: a concurrent later version is the next read's to show.
          const [status, state] = await stateArgs(key, space);
          return json(space, status, { ...state, version });
        }
      }
      throw new AppError('VIDEO_ROOM_BUSY');
    },

    /**
     * Deleted once (a fact); a retry ends the session again if the SFU failed the first time. Launcher
     * sessions of the room are refused from now on (session-revocation.ts), its attendance stays.
     */
    async remove(key: ApiKey, roomId: string): Promise<{ endedSession: boolean }> {
      const space = await own(key, roomId);
      if (
        await deps.store.addDeletion({ apiKeyId: key.id, spaceId: space.spaceId, roomKey: space.roomKey, at: now() })
      ) {
        await audit(key, space, 'room-delete');
      }
      const { session } = await deps.spaces.roomStatus(key.id, space.roomKey);
      if (session) await deps.controls.room(await actorFor(key, space), 'end');
      return { endedSession: Boolean(session) };
    },

    async list(key: ApiKey, query: RoomListQuery): Promise<{ rooms: VideoRoomJson[]; next: string | null }> {
      const after = query.cursor === undefined ? undefined : decodeKeys(query.cursor, 2);
      if (query.cursor !== undefined && !after) {
        throw new AppError('VALIDATION_FAILED', {
          details: { fields: [{ path: 'cursor', message: 'not a cursor this API gave' }] },
        });
      }
      const [spaces, deletions, liveNow] = await Promise.all([
        deps.spaceStore.listByKey(key.id),
        deps.store.deletionsOf(key.id),
        deps.spaces.liveSessions(key.id),
      ]);
      const deleted = new Map(deletions.map((d) => [d.spaceId, d]));
      const sessions = new Map(liveNow.map((l) => [l.space.id, l.session.sessionId]));
      const statusOf = (s: Space): RoomStatus =>
        deleted.has(s.spaceId) ? 'deleted' : sessions.has(s.id) ? 'live' : 'idle';
      const from = query.created_after ? Date.parse(query.created_after) : -Infinity;
      const to = query.created_before ? Date.parse(query.created_before) : Infinity;
      const keysOf = (s: Space): [number, string] => [new Date(s.createdAt).getTime(), s.id];
      // Newest first; the cursor is the last room handed out (created_at, id), so new rooms never shift a page.
      const sorted = spaces
        .filter((s) => {
          const at = new Date(s.createdAt).getTime();
          return (
            (!query.name || s.spaceId === query.name) &&
            (!query.status || statusOf(s) === query.status) &&
            at > from &&
            at < to
          );
        })
        .sort((a, b) => keysOf(b)[0] - keysOf(a)[0] || (a.id < b.id ? 1 : -1));
      const start = after
        ? sorted.findIndex(
            (s) => keysOf(s)[0] < Number(after[0]) || (keysOf(s)[0] === Number(after[0]) && s.id < String(after[1])),
          )
        : 0;
      const rest = start < 0 ? [] : sorted.slice(start);
      const page = rest.slice(0, query.limit);
      const rooms = await Promise.all(
        page.map((s) => {
          const deletion = deleted.get(s.spaceId);
          const sessionId = sessions.get(s.id);
          return json(s, statusOf(s), { ...(deletion ? { deletion } : {}), ...(sessionId ? { sessionId } : {}) });
        }),
      );
      const last = page.at(-1);
      return { rooms, next: rest.length > query.limit && last ? encodeKeys(keysOf(last)) : null };
    },
  };

  async function stateArgs(
    key: ApiKey,
    space: Space,
  ): Promise<[RoomStatus, { sessionId?: string; deletion?: RoomDeletion }]> {
    const state = await stateOf(key, space);
    if (state.status === 'deleted') return ['deleted', { deletion: state.deletion }];
    if (state.status === 'live') return ['live', { sessionId: state.sessionId }];
    return ['idle', {}];
  }
}

export type VideoRooms = ReturnType<typeof createVideoRooms>;
