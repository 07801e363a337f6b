import { z } from 'zod';
import type { SessionJson } from '../integrations/attendance-wire.js';
import type { participantJson } from '../integrations/attendance-wire.js';
import type { LiveRoomJson, LiveRoomStatusJson } from '../integrations/live-room-wire.js';
import type { RecordingJson } from '../integrations/recording-wire.js';
import type { LiveSessionJson, RoomStatusJson, SpaceLaunchJson } from '../integrations/space-wire.js';
import type { TokenJson, VideoRoomJson } from '../integrations/video-room-wire.js';

/**
 * The answers of /api/v1 and /api/live-room as zod schemas, for the OpenAPI document only (requests are
 * described by the schemas that validate them). Each is checked against the type its JSON function returns,
 * so the document cannot drift from what the routes send.
 */
const time = z.iso.datetime();

export const errorResponse = z.object({
  error: z.object({
    code: z.string().describe('Stable error code (docs/errors.md)'),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const spaceLaunchResponse = z.object({
  client_url: z.url().describe('The join link to open (in a new tab or a frame your origin may embed)'),
  api_base: z.url().describe('Where this API is'),
  room_id: z.string(),
  session_id: z.string().nullable().describe('The open class session, if any'),
  user_id: z.string().nullable().describe('null for a guest link: each guest gets an identity when named'),
  webhook_secret: z.string().optional().describe('Only on the launch that created the secret'),
});

export const liveSessionResponse = z.object({
  roomId: z.string(),
  spaceId: z.string(),
  startTime: time,
  currentPeerCount: z.number().int(),
  recordingCount: z.number().int().describe('Recordings of this session so far (failed and deleted left out)'),
  livestreamCount: z.number().int().describe('Live streams of this session so far (failed left out)'),
});
export const liveSessionsResponse = z.object({ liveSessions: z.array(liveSessionResponse) });

export const roomStatusResponse = z.object({
  room_id: z.string(),
  is_live: z.boolean(),
  participants_count: z.number().int(),
  started_at: time.nullable(),
  session_id: z.string().nullable(),
});

export const sessionResponseShape = {
  session_id: z.string(),
  started_at: time,
  ended_at: time.nullable(),
  duration_minutes: z.number(),
  final: z.boolean(),
  participants_count: z.number().int(),
  peak_participants: z.number().int(),
  current_peer_count: z.number().int().nullable(),
};
const sessionResponse = z.object(sessionResponseShape);
export const sessionsPageResponse = z.object({
  room_id: z.string(),
  sessions: z.array(sessionResponse),
  next_cursor: z.string().nullable(),
});

export const participantResponse = z.object({
  user_id: z.string(),
  name: z.string(),
  role: z.enum(['instructor', 'participant', 'observer']).nullable(),
  status: z.enum(['present', 'late', 'left-early', 'late-and-left-early', 'absent']),
  first_join: time.nullable(),
  last_leave: time.nullable(),
  minutes_present: z.number(),
  percent_of_session: z.number(),
  joins: z.number().int(),
  late: z.boolean(),
  left_early: z.boolean(),
  inferred: z.boolean(),
  intervals: z.array(z.object({ from: time, to: time })),
});
export const participantsResponse = z.object({
  session: sessionResponse,
  participants: z.array(participantResponse),
});

const liveRoomState = z.enum(['created', 'in-progress', 'ended']);
export const liveRoomResponse = z.object({
  room_id: z.string(),
  topic: z.string(),
  participants_limit: z.number().int(),
  status: liveRoomState,
  instructor: z
    .object({ id: z.string(), name: z.string(), email: z.string().nullable(), is_instructor: z.literal(true) })
    .nullable(),
  created_at: time,
});
export const liveRoomJoinResponse = z.object({
  room_id: z.string(),
  role: z.enum(['participant', 'instructor']),
  join_url: z.url(),
  user_id: z.string().nullable(),
  expires_at: time,
});
export const liveRoomStatusResponse = z.object({
  room_id: z.string(),
  status: liveRoomState,
  is_live: z.boolean(),
  participants_count: z.number().int(),
  started_at: time.nullable(),
});

export const videoRoomResponse = z.object({
  room_id: z.string(),
  name: z.string(),
  title: z.string(),
  max_participants: z.number().int(),
  recording: z.boolean(),
  recording_retention_days: z
    .number()
    .int()
    .nullable()
    .describe('Days its recordings are kept (at most the tool’s); null: as long as the tool keeps them'),
  stream_target: z
    .string()
    .nullable()
    .describe('Where Go live streams without an address of its own: stream_url with the key masked'),
  webhook_url: z.string().nullable(),
  status: z.enum(['idle', 'live', 'deleted']),
  version: z.number().int(),
  session_id: z.string().nullable(),
  created_at: time,
  updated_at: time,
  deleted_at: time.nullable(),
  webhook_secret: z.string().optional().describe('Only in the answer that created the room'),
});
export const videoRoomsPageResponse = z.object({
  rooms: z.array(videoRoomResponse),
  next_cursor: z.string().nullable(),
});
export const tokenResponse = z.object({
  room_id: z.string(),
  user_id: z.string(),
  role: z.enum(['instructor', 'participant', 'observer']),
  token: z.string(),
  join_url: z.url(),
  expires_at: time,
  refresh_token: z.string(),
  refresh_expires_at: time,
});
export const videoSessionResponse = z.object({
  room_id: z.string(),
  status: z.enum(['live', 'ended']),
  ...sessionResponseShape,
});
export const sessionEndResponse = z.object({
  session_id: z.string(),
  room_id: z.string(),
  status: z.literal('ended'),
  ended_at: time,
});
export const bulkResponse = z.object({
  session_id: z.string(),
  action: z.enum(['mute', 'unmute', 'kick']),
  participants: z.array(z.string()).describe('Whom the action reached'),
});
export const participantSearchResponse = z.object({
  participants: z.array(participantResponse.extend({ session_id: z.string(), room_id: z.string() })),
  next_cursor: z.string().nullable(),
});
export const recordingResponse = z.object({
  recording_id: z.string(),
  room_id: z.string(),
  session_id: z.string(),
  status: z.enum(['starting', 'recording', 'ready', 'failed', 'deleted']),
  audio_only: z.boolean(),
  requested_at: time,
  started_at: time.nullable(),
  ended_at: time.nullable(),
  duration_ms: z.number().int().nullable(),
  size_bytes: z.number().int().nullable(),
  published: z.boolean(),
  kept_until: time.describe('When retention deletes it'),
  deleted_at: time.nullable(),
  play_url: z
    .url()
    .nullable()
    .describe(
      'Ready recordings: a signed link that plays it (inline, byte ranges); with recordings in a bucket it answers 302 to a presigned GET that lasts as long as the link',
    ),
  download_url: z.url().nullable().describe('Ready recordings: a signed link that downloads it'),
  urls_expire_at: time.nullable().describe('The links stop working then: ask again for fresh ones'),
});
export const recordingsResponse = z.object({ room_id: z.string(), recordings: z.array(recordingResponse) });
export const recordingsDeletedResponse = z.object({
  room_id: z.string(),
  deleted: z.array(z.string()).describe('The recordings deleted (files removed)'),
  still_recording: z.array(z.string()).describe('Matching recordings not deleted: stop them first'),
});

/** Compile-time: the schema's type and the route's JSON type are the same (both ways). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_: T) => undefined;
same<Same<z.infer<typeof spaceLaunchResponse>, SpaceLaunchJson>>(true);
same<Same<z.infer<typeof liveSessionResponse>, LiveSessionJson>>(true);
same<Same<z.infer<typeof roomStatusResponse>, RoomStatusJson>>(true);
same<Same<z.infer<typeof sessionResponse>, SessionJson>>(true);
same<Same<z.infer<typeof participantResponse>, ReturnType<typeof participantJson>>>(true);
same<Same<z.infer<typeof liveRoomResponse>, LiveRoomJson>>(true);
same<Same<z.infer<typeof liveRoomStatusResponse>, LiveRoomStatusJson>>(true);
same<Same<z.infer<typeof videoRoomResponse>, VideoRoomJson>>(true);
same<Same<z.infer<typeof tokenResponse>, TokenJson>>(true);
same<Same<z.infer<typeof recordingResponse>, RecordingJson>>(true);
