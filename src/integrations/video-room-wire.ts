import { z } from 'zod';
import { streamAddressSchema } from '../recordings/stream-target.js';
import { urlSchema } from '../urls.js';
import { liveRoomIdSchema } from './live-room-wire.js';

/**
 * The video-rooms API's wire format (docs/integrator-api.md#video-rooms): rooms, client tokens, session
 * controls and the participants search. Plain zod objects, so the OpenAPI document describes them as they are.
 */

const limit = z.coerce.number().int().min(1).max(100).default(20);
const instant = z.iso.datetime({ offset: true });
const retentionDays = z.number().int().min(1).max(3650);
const webhookUrlOf = (allowHttp: boolean) => urlSchema(allowHttp ? ['https:', 'http:'] : ['https:']);

export function roomCreateSchema(allowHttpWebhooks: boolean) {
  return z
    .object({
      /** Unique per API key; also the room's `id` in /api/v1/spaces/launch and `room_id` in /api/live-room. */
      name: liveRoomIdSchema,
      title: z.string().trim().min(1).max(200).optional(),
      max_participants: z.number().int().min(2).max(1000).optional(),
      /** Record each session from its first join (needs recording set up on the tool). */
      recording: z.boolean().optional(),
      /** Days the room's recordings are kept, at most the tool's (its recordings.retentionDays, the default). */
      recording_retention_days: retentionDays.optional(),
      /** Where Go live streams when the teacher gives no address (rtmp(s)://host/app/key): a secret, shown back masked. */
      stream_url: streamAddressSchema.optional(),
      webhook_url: webhookUrlOf(allowHttpWebhooks).optional(),
    })
    .strict();
}

export function roomUpdateSchema(allowHttpWebhooks: boolean) {
  return z
    .object({
      title: z.string().trim().min(1).max(200).optional(),
      max_participants: z.number().int().min(2).max(1000).optional(),
      recording: z.boolean().optional(),
      /** null: as long as the tool keeps recordings. */
      recording_retention_days: retentionDays.nullable().optional(),
      /** null removes it. */
      stream_url: streamAddressSchema.nullable().optional(),
      /** null removes it. */
      webhook_url: webhookUrlOf(allowHttpWebhooks).nullable().optional(),
    })
    .strict()
    .refine((body) => Object.keys(body).length > 0, { message: 'name at least one field to change' });
}

export const ROOM_STATUSES = ['idle', 'live', 'deleted'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

export const roomListQuery = z
  .object({
    limit,
    cursor: z.string().min(1).max(200).optional(),
    name: liveRoomIdSchema.optional(),
    status: z.enum(ROOM_STATUSES).optional(),
    created_after: instant.optional(),
    created_before: instant.optional(),
  })
  .strict();

/** Seconds an access token (a join link) works: one minute to one day. */
export const TOKEN_TTL = { min: 60, max: 24 * 3600 } as const;

export const tokenCreateSchema = z
  .object({
    user: z
      .object({
        id: z.string().min(1).max(256),
        name: z.string().trim().min(1).max(200),
        role: z.enum(['instructor', 'participant', 'observer']).default('participant'),
      })
      .strict(),
    ttl_seconds: z.number().int().min(TOKEN_TTL.min).max(TOKEN_TTL.max).optional(),
  })
  .strict();

export const refreshSchema = z.object({ refresh_token: z.string().min(1).max(200) }).strict();

export const sessionIdSchema = z.string().regex(/^ses_[\w-]{1,64}$/);

/** What a session's bulk route does to many participants at once (unmute allows again: only a person unmutes). */
export const SESSION_ACTIONS = ['mute', 'unmute', 'kick'] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];
export const MEDIA_KINDS = ['audio', 'video'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export const bulkParamsSchema = z.object({ sessionId: sessionIdSchema, action: z.enum(SESSION_ACTIONS) }).strict();

const identities = z.array(z.string().min(1).max(256)).max(1000);
export const sessionBulkSchema = z
  .object({
    /** Identities (`user_id`) to act on; everyone connected when absent. */
    participants: identities.optional(),
    exclude: identities.optional(),
    /** mute and unmute only; both when absent. */
    kinds: z.array(z.enum(MEDIA_KINDS)).min(1).max(2).optional(),
  })
  .strict();
export type SessionBulk = z.infer<typeof sessionBulkSchema>;

export const participantSearchQuery = z
  .object({
    session_id: sessionIdSchema.optional().describe("One session's participants"),
    room_id: z.string().min(1).max(200).optional().describe("The room's newest 100 sessions"),
    user_id: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe("Only this user; alone, the user's newest 100 sessions across the key's rooms"),
    joined_after: instant.optional(),
    joined_before: instant.optional(),
    left_after: instant.optional(),
    left_before: instant
      .optional()
      .describe(
        'With no session, room or user: the sessions across the key\'s rooms in which someone joined or left within the window (at most 31 days; up to now when no "before" is given)',
      ),
    limit,
    cursor: z.string().min(1).max(400).optional(),
  })
  .strict();

export type RoomCreate = z.infer<ReturnType<typeof roomCreateSchema>>;
export type RoomUpdate = z.infer<ReturnType<typeof roomUpdateSchema>>;
export type RoomListQuery = z.infer<typeof roomListQuery>;
export type TokenCreate = z.infer<typeof tokenCreateSchema>;
export type ParticipantSearch = z.infer<typeof participantSearchQuery>;

export interface VideoRoomJson {
  room_id: string;
  name: string;
  title: string;
  max_participants: number;
  recording: boolean;
  /** Days its recordings are kept; null: as long as the tool keeps them. */
  recording_retention_days: number | null;
  /** stream_url with its key masked; null when none is set. */
  stream_target: string | null;
  webhook_url: string | null;
  status: RoomStatus;
  /** Increases with each change (PATCH); 1 as created. */
  version: number;
  session_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** Only in the answer that created the room. */
  webhook_secret?: string;
}

export interface TokenJson {
  room_id: string;
  user_id: string;
  role: 'instructor' | 'participant' | 'observer';
  /** The join link's token; `join_url` is the link itself, for our launcher. */
  token: string;
  join_url: string;
  expires_at: string;
  refresh_token: string;
  refresh_expires_at: string;
}

/** Opaque keyset cursors: base64url of the last item's sort keys, never a position. */
export const encodeKeys = (keys: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(keys)).toString('base64url');

export function decodeKeys(text: string, size: number): Array<string | number> | undefined {
  try {
    const keys: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    const ok =
      Array.isArray(keys) &&
      keys.length === size &&
      keys.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)));
    return ok ? (keys as Array<string | number>) : undefined;
  } catch {
    return undefined;
  }
}
