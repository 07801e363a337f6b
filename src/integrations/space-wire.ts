import { z } from 'zod';
import { activitySettingsSchema } from '../rooms/activity-settings.js';
import { urlSchema } from '../urls.js';
import type { ApiKey } from './api-keys.js';
import { LESSONSPACE_EVENT_TYPES, roleOfLaunch } from './lessonspace.js';
import type { SpaceLaunchInput } from './space-service.js';
import type { Space, SpaceWebhooks } from './space-store.js';

/**
 * The integrator API's wire format: what /api/v1 (and the admin's /api-keys) accept, and the JSON they
 * answer. Field names are the API's (snake_case), documented in docs/integrator-api.md.
 */

const s = activitySettingsSchema.shape;
/** The settings an integrator may choose; defaults are unwrapped so omitted fields keep their stored value. */
const spaceSettingsSchema = z
  .object({
    title: s.title,
    audioOnly: s.audioOnly.unwrap(),
    publishers: s.publishers.unwrap(),
    waitingRoom: s.waitingRoom.unwrap(),
    joinBeforeInstructor: s.joinBeforeInstructor.unwrap(),
    maxParticipants: s.maxParticipants.unwrap(),
    /** Who may watch recordings in the space's launcher, and how long they are kept (docs/recordings.md). */
    recording: s.recording.unwrap(),
  })
  .partial()
  .strict();

/** Lessonspace's `custom_jwt_parameters`: only `meta.displayName` is read; the rest is accepted and ignored. */
const customJwtSchema = z
  .object({
    meta: z
      .object({ displayName: z.string().trim().min(1).max(200).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** Fields of Lessonspace's launch body with no meaning here: accepted (docs say so) and ignored. */
const ignoredLessonspaceFields = {
  allow_guests: z.boolean().optional(),
  record_content: z.boolean().optional(),
  record_av: z.boolean().optional(),
  transcribe: z.boolean().optional(),
  locale: z.string().max(35).optional(),
  features: z.record(z.string(), z.unknown()).optional(),
  timeouts: z.record(z.string(), z.unknown()).optional(),
  tags: z.record(z.string(), z.unknown()).optional(),
};

/** POST /api/v1/spaces/launch. Plain-http webhook URLs only outside production (local receivers). */
export function spaceLaunchSchema(allowHttpWebhooks: boolean) {
  const protocols = allowHttpWebhooks ? ['https:', 'http:'] : ['https:'];
  const webhookUrl = urlSchema(protocols);
  // Lessonspace removes a hook given as null or "".
  const eventUrl = z.union([webhookUrl, z.literal(''), z.null()]).optional();
  const group = <K extends string>(keys: readonly K[]) =>
    z.object(Object.fromEntries(keys.map((k) => [k, eventUrl])) as Record<K, typeof eventUrl>).strict();
  const ignoredGroup = z.record(z.string(), z.union([z.string().max(2048), z.null()])).optional();
  return z
    .object({
      id: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9._-]+$/, 'only letters, digits, dot, underscore and dash'),
      /** Lessonspace's space name: the class title when `settings.title` is not given. */
      name: z.string().trim().max(200).nullable().optional(),
      /** Without a user the link is a guest link: whoever follows it is asked for a name. */
      user: z
        .object({
          id: z.string().min(1).max(256),
          name: z.string().trim().min(1).max(200),
          /** Free text (teacher, tutor, student, ...); `leader` decides instructor powers (lessonspace.ts). */
          role: z.string().trim().min(1).max(64).optional(),
          leader: z.boolean().optional(),
          email: z.string().max(320).optional(),
          profile_picture: z.string().max(2048).optional(),
          custom_jwt_parameters: customJwtSchema.optional(),
        })
        .strict()
        .optional(),
      custom_jwt_parameters: customJwtSchema.optional(),
      settings: spaceSettingsSchema.optional(),
      passcode: z.string().min(4).max(64).optional(),
      /** Ours (`url`, `events`) and Lessonspace's (a URL per event, by group) may be given together. */
      webhooks: z
        .object({
          url: webhookUrl.optional(),
          events: z.array(z.string().min(1).max(64)).max(50).optional(),
          /** The room-session document's event names (room.started, member.joined, ...) in place of ours. */
          naming: z.enum(['ours', 'room-session']).optional(),
          session: group(['start', 'end', 'idle'] as const).optional(),
          user: group(['join', 'leave', 'idle'] as const).optional(),
          chat: ignoredGroup,
          cobrowser: ignoredGroup,
          transcription: ignoredGroup,
          knock: ignoredGroup,
        })
        .strict()
        .optional(),
      ...ignoredLessonspaceFields,
    })
    .strict();
}

export type SpaceLaunchBody = z.infer<ReturnType<typeof spaceLaunchSchema>>;

/** POST /admin/api-keys. */
export const apiKeyInputSchema = z.object({ name: z.string().trim().min(1).max(200) }).strict();

/** What the integrator API reads of a class session. */
export interface SessionView {
  sessionId: string;
  startedAt: Date;
  /** Identities connected now. */
  present: string[];
}

/** The outcome of a launch, in the service's words (space-service.ts). */
export interface SpaceLaunch {
  created: boolean;
  joinUrl: string;
  roomKey: string;
  session?: SessionView;
  /** The user's LiveKit identity. */
  identity: string;
  /** Only when this launch created the secret (the first launch with webhooks). */
  newWebhookSecret?: string;
  apiBase: string;
  /** When the join link stops working. */
  expiresAt: Date;
}

export interface SpaceLaunchJson {
  client_url: string;
  /** Lessonspace's field: where this API is (ours is /api/v1, not a room.sh API). */
  api_base: string;
  room_id: string;
  session_id: string | null;
  /** null for a guest link (each guest gets an identity when they name themselves). */
  user_id: string | null;
  webhook_secret?: string;
}

export function launchJson(launch: SpaceLaunch): SpaceLaunchJson {
  return {
    client_url: launch.joinUrl,
    api_base: launch.apiBase,
    room_id: launch.roomKey,
    session_id: launch.session?.sessionId ?? null,
    user_id: launch.identity || null,
    ...(launch.newWebhookSecret ? { webhook_secret: launch.newWebhookSecret } : {}),
  };
}

/** A live session as GET /api/v1/live-sessions lists it (camelCase, as documented). */
export interface LiveSessionJson {
  roomId: string;
  spaceId: string;
  startTime: string;
  currentPeerCount: number;
  /** Recordings and live streams of this session so far, running or finished (failed and deleted left out). */
  recordingCount: number;
  livestreamCount: number;
}

export function liveSessionJson(
  space: Pick<Space, 'roomKey' | 'spaceId'>,
  session: SessionView,
  counts: { recordings: number; livestreams: number },
): LiveSessionJson {
  return {
    roomId: space.roomKey,
    spaceId: space.spaceId,
    startTime: new Date(session.startedAt).toISOString(),
    currentPeerCount: session.present.length,
    recordingCount: counts.recordings,
    livestreamCount: counts.livestreams,
  };
}

export interface RoomStatusJson {
  room_id: string;
  is_live: boolean;
  participants_count: number;
  started_at: string | null;
  session_id: string | null;
}

/** `session` is the room's open session, if any. */
export function roomStatusJson(space: Pick<Space, 'roomKey'>, session: SessionView | undefined): RoomStatusJson {
  return {
    room_id: space.roomKey,
    is_live: Boolean(session),
    participants_count: session?.present.length ?? 0,
    started_at: session ? new Date(session.startedAt).toISOString() : null,
    session_id: session?.sessionId ?? null,
  };
}

/** The one answer that shows the key itself. */
export function createdKeyJson(key: ApiKey & { key: string }) {
  return { id: key.id, name: key.name, key: key.key, createdAt: key.createdAt };
}

/** The launch body in the service's words: Lessonspace's fields folded into ours. */
export function spaceLaunchInput(body: SpaceLaunchBody): SpaceLaunchInput {
  const { user, settings, webhooks, name } = body;
  const displayName = user?.custom_jwt_parameters?.meta?.displayName ?? body.custom_jwt_parameters?.meta?.displayName;
  const title = settings?.title ?? (name ? name : undefined);
  return {
    id: body.id,
    user: user && { id: user.id, name: displayName ?? user.name, role: roleOfLaunch(user) },
    settings: settings || title ? { ...settings, ...(title ? { title } : {}) } : undefined,
    passcode: body.passcode,
    webhooks: webhooks && {
      ...(webhooks.url ? { url: webhooks.url } : {}),
      ...(webhooks.events ? { events: webhooks.events } : {}),
      ...(webhooks.naming === 'room-session' ? { naming: 'room-session' as const } : {}),
      hooks: lessonspaceHooks(webhooks),
    },
  };
}

type LessonspaceHooks = Partial<Record<'session' | 'user', Partial<Record<string, string | null>>>>;

/** `{ session: { start: url } }` -> `[{ event: 'session.start', url }]`; null and "" (removed hooks) are left out. */
function lessonspaceHooks(hooks: LessonspaceHooks): NonNullable<SpaceWebhooks['hooks']> {
  return LESSONSPACE_EVENT_TYPES.flatMap((event) => {
    const [group, name] = event.split('.') as ['session' | 'user', string];
    const url = hooks[group]?.[name];
    return url ? [{ event, url }] : [];
  });
}
