import { z } from 'zod';
import type { LiveRoomStatus, LiveRoomState } from './live-rooms.js';
import type { Space } from './space-store.js';

/**
 * The live-room endpoints' wire format (/api/live-room, docs/integrator-api.md#live-rooms): plain zod
 * objects, so an OpenAPI generator can describe them as they are.
 */

/** Also the space id of the same room in /api/v1 (its `id`). */
export const liveRoomIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'only letters, digits, dot, underscore and dash');

export const liveRoomInstructorSchema = z
  .object({
    id: z.string().min(1).max(256),
    name: z.string().trim().min(1).max(200),
    email: z.string().trim().max(320).optional(),
    /** Accepted as the schema has it; the instructor always joins as one. */
    is_instructor: z.boolean().optional(),
  })
  .strict();

/** POST /api/live-room/create */
export const liveRoomCreateSchema = z
  .object({
    room_id: liveRoomIdSchema,
    topic: z.string().trim().min(1).max(200),
    participants_limit: z.number().int().min(2).max(1000),
    instructor: liveRoomInstructorSchema.optional(),
  })
  .strict();

/** POST /api/live-room/join. `user_id` and `name` (ours) name the person; without them a participant is a guest. */
export const liveRoomJoinSchema = z
  .object({
    room_id: liveRoomIdSchema,
    role: z.enum(['participant', 'instructor']),
    user_id: z.string().min(1).max(256).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** GET /api/live-room/status/{room_id} */
export const liveRoomParamsSchema = z.object({ room_id: liveRoomIdSchema }).strict();

export type LiveRoomCreate = z.infer<typeof liveRoomCreateSchema>;
export type LiveRoomJoin = z.infer<typeof liveRoomJoinSchema>;

export interface LiveRoomJson {
  room_id: string;
  topic: string;
  participants_limit: number;
  status: LiveRoomState;
  instructor: { id: string; name: string; email: string | null; is_instructor: true } | null;
  created_at: string;
}

export function liveRoomJson(space: Space, topic: string, limit: number, status: LiveRoomState): LiveRoomJson {
  const i = space.instructor;
  return {
    room_id: space.spaceId,
    topic,
    participants_limit: limit,
    status,
    instructor: i ? { id: i.id, name: i.name, email: i.email ?? null, is_instructor: true } : null,
    created_at: new Date(space.createdAt).toISOString(),
  };
}

export interface LiveRoomStatusJson {
  room_id: string;
  status: LiveRoomState;
  is_live: boolean;
  participants_count: number;
  started_at: string | null;
}

export function liveRoomStatusJson(spaceId: string, s: LiveRoomStatus): LiveRoomStatusJson {
  return {
    room_id: spaceId,
    status: s.state,
    is_live: s.state === 'in-progress',
    participants_count: s.participantsCount,
    started_at: s.startedAt ? s.startedAt.toISOString() : null,
  };
}
