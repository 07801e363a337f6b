import { z } from 'zod';
import { participantsQuery, pageQuery } from './integrator-attendance-routes.js';
import { liveRoomCreateSchema, liveRoomIdSchema, liveRoomJoinSchema } from '../integrations/live-room-wire.js';
import { recordingsDeleteQuery, recordingsQuery } from '../integrations/recording-wire.js';
import { recordingIdSchema } from './recordings-router.js';
import { spaceLaunchSchema } from '../integrations/space-wire.js';
import { roomControlOperations } from './openapi-room-controls.js';
import {
  participantSearchQuery,
  refreshSchema,
  roomCreateSchema,
  roomListQuery,
  roomUpdateSchema,
  SESSION_ACTIONS,
  sessionBulkSchema,
  sessionIdSchema,
  tokenCreateSchema,
} from '../integrations/video-room-wire.js';
import {
  bulkResponse,
  errorResponse,
  participantSearchResponse,
  sessionEndResponse,
  tokenResponse,
  videoRoomResponse,
  videoRoomsPageResponse,
  videoSessionResponse,
  liveRoomJoinResponse,
  liveRoomResponse,
  liveRoomStatusResponse,
  liveSessionResponse,
  liveSessionsResponse,
  participantsResponse,
  recordingResponse,
  recordingsDeletedResponse,
  recordingsResponse,
  roomStatusResponse,
  sessionsPageResponse,
  spaceLaunchResponse,
} from './openapi-schemas.js';

/** One operation of the integrator API, described by the zod schemas its route validates with. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style: `/api/v1/rooms/{roomId}/status`. */
  path: string;
  summary: string;
  tag:
    | 'Spaces (Lessonspace launch)'
    | 'Live sessions'
    | 'Attendance'
    | 'Live rooms'
    | 'Video rooms'
    | 'Video room tokens'
    | 'Video room sessions'
    | 'Room-session controls'
    | 'Recordings';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success answers (no schema: no body); 400, 401, 404 and 429 are added to every operation. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

const roomId = z.object({ roomId: z.string().describe('The room_id a launch or create answered') });
const sessionId = z.object({ sessionId: sessionIdSchema });
const refused = (description: string) => ({ description, schema: errorResponse });

/** /api/v1/rooms, /tokens, /sessions and /participants (docs/integrator-api.md#video-rooms). */
function videoRoomOperations(allowHttpWebhooks: boolean): Operation[] {
  const room = (description: string) => ({ description, schema: videoRoomResponse });
  return [
    {
      method: 'post',
      path: '/api/v1/rooms',
      tag: 'Video rooms',
      summary: 'Create a room with a name unique to your key',
      body: roomCreateSchema(allowHttpWebhooks),
      responses: { 201: room('The room (with its webhook secret, shown once)'), 409: refused('SPACE_EXISTS') },
    },
    {
      method: 'get',
      path: '/api/v1/rooms',
      tag: 'Video rooms',
      summary: 'Your rooms, newest first, filtered and paged by cursor',
      query: roomListQuery,
      responses: { 200: { description: 'One page of rooms', schema: videoRoomsPageResponse } },
    },
    {
      method: 'get',
      path: '/api/v1/rooms/{roomId}',
      tag: 'Video rooms',
      summary: 'One room',
      params: roomId,
      responses: { 200: room('The room') },
    },
    {
      method: 'patch',
      path: '/api/v1/rooms/{roomId}',
      tag: 'Video rooms',
      summary: "Change a room's settings (a new version)",
      params: roomId,
      body: roomUpdateSchema(allowHttpWebhooks),
      responses: {
        200: room('The room as changed'),
        409: refused('VIDEO_ROOM_BUSY'),
        410: refused('VIDEO_ROOM_DELETED'),
      },
    },
    {
      method: 'delete',
      path: '/api/v1/rooms/{roomId}',
      tag: 'Video rooms',
      summary: 'End its live session and make the room unusable (its attendance stays)',
      params: roomId,
      responses: { 204: { description: 'Deleted (again: still deleted)' } },
    },
    {
      method: 'post',
      path: '/api/v1/rooms/{roomId}/tokens',
      tag: 'Video room tokens',
      summary: 'An access token (join link) for one person, and a refresh token',
      params: roomId,
      body: tokenCreateSchema,
      responses: { 201: { description: 'The tokens', schema: tokenResponse }, 410: refused('VIDEO_ROOM_DELETED') },
    },
    {
      method: 'post',
      path: '/api/v1/tokens/refresh',
      tag: 'Video room tokens',
      summary: 'A new access token and refresh token for a refresh token, once',
      body: refreshSchema,
      responses: { 201: { description: 'The new tokens', schema: tokenResponse } },
    },
    {
      method: 'get',
      path: '/api/v1/sessions/{sessionId}',
      tag: 'Video room sessions',
      summary: 'One class session of a room',
      params: sessionId,
      responses: { 200: { description: 'The session', schema: videoSessionResponse } },
    },
    {
      method: 'post',
      path: '/api/v1/sessions/{sessionId}/end',
      tag: 'Video room sessions',
      summary: 'End a live session on the media server, for everyone',
      params: sessionId,
      responses: {
        200: { description: 'Ended', schema: sessionEndResponse },
        409: refused('VIDEO_SESSION_ENDED'),
      },
    },
    {
      method: 'post',
      path: '/api/v1/sessions/{sessionId}/participants/{action}',
      tag: 'Video room sessions',
      summary: 'Mute, unmute (allow again) or kick everyone in a live session, or a list, with exclusions',
      params: z.object({ sessionId: sessionIdSchema, action: z.enum(SESSION_ACTIONS) }),
      body: sessionBulkSchema,
      responses: {
        200: { description: 'Whom it reached', schema: bulkResponse },
        409: refused('VIDEO_SESSION_ENDED'),
      },
    },
    {
      method: 'get',
      path: '/api/v1/participants',
      tag: 'Video room sessions',
      summary:
        "Search participants of a session, of a room, of a user across the key's rooms, or of a joined/left time window across them (at most 31 days), paged by cursor",
      query: participantSearchQuery,
      responses: {
        200: { description: 'One page of participants', schema: participantSearchResponse },
        400: refused(
          'VIDEO_PARTICIPANTS_SCOPE (no session, room, user or time named), VIDEO_PARTICIPANTS_WINDOW (an "after" past its "before", or a search by time alone over more than 31 days) or VALIDATION_FAILED',
        ),
      },
    },
    {
      method: 'post',
      path: '/api/v1/compositions',
      tag: 'Video rooms',
      summary: "Not offered: a composition of a finished session's tracks (the media server renders live rooms only)",
      responses: { 501: refused('VIDEO_COMPOSITION_UNSUPPORTED') },
    },
  ];
}
const recordingParams = roomId.extend({ recordingId: recordingIdSchema.describe('A recording_id the list answered') });

/** Every route under /api/v1 and /api/live-room (a test compares this list with the app's router). */
export function integratorOperations(allowHttpWebhooks: boolean): Operation[] {
  return [
    {
      method: 'post',
      path: '/api/v1/spaces/launch',
      tag: 'Spaces (Lessonspace launch)',
      summary: 'Create or reuse a space and get a join link for one user (or a guest link)',
      body: spaceLaunchSchema(allowHttpWebhooks),
      responses: {
        200: { description: 'The space existed', schema: spaceLaunchResponse },
        201: { description: 'The space was created', schema: spaceLaunchResponse },
      },
    },
    {
      method: 'get',
      path: '/api/v1/live-sessions',
      tag: 'Live sessions',
      summary: 'The class sessions live now in your rooms',
      responses: { 200: { description: 'Live sessions', schema: liveSessionsResponse } },
    },
    {
      method: 'get',
      path: '/api/v1/live-sessions/{roomId}',
      tag: 'Live sessions',
      summary: "A room's live session",
      params: roomId,
      responses: { 200: { description: 'The live session', schema: liveSessionResponse } },
    },
    {
      method: 'get',
      path: '/api/v1/rooms/{roomId}/status',
      tag: 'Live sessions',
      summary: 'Whether a room is live, and how many are in it',
      params: roomId,
      responses: { 200: { description: 'The room status', schema: roomStatusResponse } },
    },
    {
      method: 'get',
      path: '/api/v1/rooms/{roomId}/sessions',
      tag: 'Attendance',
      summary: "A room's class sessions, newest first, paged by cursor",
      params: roomId,
      query: pageQuery,
      responses: { 200: { description: 'One page of sessions', schema: sessionsPageResponse } },
    },
    {
      method: 'get',
      path: '/api/v1/sessions/{sessionId}/participants',
      tag: 'Attendance',
      summary: 'Who attended a class session, with their figures',
      params: z.object({ sessionId: z.string().regex(/^ses_[\w-]{1,64}$/) }),
      query: participantsQuery,
      responses: { 200: { description: 'The session and its participants', schema: participantsResponse } },
    },
    {
      method: 'get',
      path: '/api/v1/rooms/{roomId}/recordings',
      tag: 'Recordings',
      summary: "A room's recordings, newest first, finished ones with signed play and download URLs",
      params: roomId,
      query: recordingsQuery,
      responses: { 200: { description: 'The recordings', schema: recordingsResponse } },
    },
    {
      method: 'get',
      path: '/api/v1/rooms/{roomId}/recordings/{recordingId}',
      tag: 'Recordings',
      summary: 'One recording, with fresh signed URLs when it is finished',
      params: recordingParams,
      responses: { 200: { description: 'The recording', schema: recordingResponse } },
    },
    {
      method: 'delete',
      path: '/api/v1/rooms/{roomId}/recordings/{recordingId}',
      tag: 'Recordings',
      summary: 'Delete one recording for good (its file first); audited',
      params: recordingParams,
      responses: { 204: { description: 'Deleted (also when it already was)' } },
    },
    {
      method: 'delete',
      path: '/api/v1/rooms/{roomId}/recordings',
      tag: 'Recordings',
      summary: "Delete a room's recordings by filter (asked for before a date, of one session, or both)",
      params: roomId,
      query: recordingsDeleteQuery,
      responses: { 200: { description: 'What was deleted', schema: recordingsDeletedResponse } },
    },
    {
      method: 'post',
      path: '/api/live-room/create',
      tag: 'Live rooms',
      summary: 'Create a live room',
      body: liveRoomCreateSchema,
      responses: { 201: { description: 'The room was created', schema: liveRoomResponse } },
    },
    {
      method: 'post',
      path: '/api/live-room/join',
      tag: 'Live rooms',
      summary: 'A join link for one person, as participant or instructor',
      body: liveRoomJoinSchema,
      responses: { 200: { description: 'The join link', schema: liveRoomJoinResponse } },
    },
    {
      method: 'get',
      path: '/api/live-room/status/{room_id}',
      tag: 'Live rooms',
      summary: "A live room's state",
      params: z.object({ room_id: liveRoomIdSchema }),
      responses: { 200: { description: 'The room state', schema: liveRoomStatusResponse } },
    },
    ...videoRoomOperations(allowHttpWebhooks),
    ...roomControlOperations(),
  ];
}

const ERRORS: Record<number, string> = {
  400: 'Bad input (error.code VALIDATION_FAILED or a specific code, error.details.fields names the fields)',
  401: 'Missing, unknown or revoked API key',
  404: 'No such room or session for this key',
  429: 'Too many requests (Retry-After says when to try again)',
};

/** JSON Schema 2020-12 (what OpenAPI 3.1 uses) from a zod schema, as requests or answers see it. */
const schemaOf = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return json;
};

function parametersOf(op: Operation) {
  const from = (schema: z.ZodObject | undefined, where: 'path' | 'query') =>
    Object.entries(schema?.shape ?? {}).map(([name, field]) => ({
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      schema: schemaOf(field as z.ZodType, 'input'),
    }));
  return [...from(op.params, 'path'), ...from(op.query, 'query')];
}

/** The OpenAPI 3.1 document of the integrator API, served at /api/v1/openapi.json. */
export function openApiDocument(options: { publicUrl: string; allowHttpWebhooks: boolean; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of integratorOperations(options.allowHttpWebhooks)) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.schema ? { content: { 'application/json': { schema: schemaOf(r.schema, 'output') } } } : {}),
      };
    }
    for (const [status, description] of Object.entries(ERRORS)) {
      responses[status] ??= {
        description,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const parameters = parametersOf(op);
    (paths[op.path] ??= {})[op.method] = {
      operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: op.summary,
      tags: [op.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Live class integrator API',
      version: options.version,
      description:
        'Rooms, launches and attendance for platforms that are not an LMS. Guide: docs/integrator-api.md. ' +
        'Authenticate with `x-api-key: <key>` or `Authorization: Organisation <key>`.',
    },
    servers: [{ url: options.publicUrl }],
    security: [{ apiKey: [] }, { organisation: [] }],
    tags: [...new Set(integratorOperations(options.allowHttpWebhooks).map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        organisation: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'Lessonspace style: `Organisation <key>`',
        },
      },
      schemas: { Error: schemaOf(errorResponse, 'output') },
    },
  };
}
