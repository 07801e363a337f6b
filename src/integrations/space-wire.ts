import { z } from 'zod';
import { activitySettingsSchema } from '../rooms/activity-settings.js';
import { urlSchema } from '../urls.js';
import type { ApiKey } from './api-keys.js';
import type { Space } from './space-store.js';

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
  })
  .partial()
  .strict();

/** POST /api/v1/spaces/launch. Plain-http webhook URLs only outside production (local receivers). */
export function spaceLaunchSchema(allowHttpWebhooks: boolean) {
  const protocols = allowHttpWebhooks ? ['https:', 'http:'] : ['https:'];
  const webhookUrl = urlSchema(protocols);
  return z
    .object({
      id: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9._-]+$/, 'only letters, digits, dot, underscore and dash'),
      user: z
        .object({
          id: z.string().min(1).max(256),
          name: z.string().trim().min(1).max(200),
          role: z.enum(['instructor', 'participant', 'observer']).optional(),
          leader: z.boolean().optional(),
        })
        .strict(),
      settings: spaceSettingsSchema.optional(),
      passcode: z.string().min(4).max(64).optional(),
      webhooks: z
        .object({ url: webhookUrl, events: z.array(z.string().min(1).max(64)).max(50).optional() })
        .strict()
        .optional(),
    })
    .strict();
}

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
}

export interface SpaceLaunchJson {
  client_url: string;
  room_id: string;
  session_id: string | null;
  user_id: string;
  webhook_secret?: string;
}

export function launchJson(launch: SpaceLaunch): SpaceLaunchJson {
  return {
    client_url: launch.joinUrl,
    room_id: launch.roomKey,
    session_id: launch.session?.sessionId ?? null,
    user_id: launch.identity,
    ...(launch.newWebhookSecret ? { webhook_secret: launch.newWebhookSecret } : {}),
  };
}

/** A live session as GET /api/v1/live-sessions lists it (camelCase, as documented). */
export interface LiveSessionJson {
  roomId: string;
  spaceId: string;
  startTime: string;
  currentPeerCount: number;
  recordingCount: 0;
  livestreamCount: 0;
}

export function liveSessionJson(space: Pick<Space, 'roomKey' | 'spaceId'>, session: SessionView): LiveSessionJson {
  return {
    roomId: space.roomKey,
    spaceId: space.spaceId,
    startTime: new Date(session.startedAt).toISOString(),
    currentPeerCount: session.present.length,
    recordingCount: 0,
    livestreamCount: 0,
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
