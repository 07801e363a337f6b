import { AppError } from '../errors.js';
import type { RoomStore } from '../rooms/room-store.js';
import type { ApiKey } from './api-keys.js';
import type { LiveRoomCreate, LiveRoomJoin } from './live-room-wire.js';
import type { SpaceService } from './space-service.js';
import type { Space, SpaceStore } from './space-store.js';
import type { SpaceLaunch } from './space-wire.js';

/** The room schema's states: never held a session, holding one now, held one that ended. */
export type LiveRoomState = 'created' | 'in-progress' | 'ended';

export interface LiveRoomStatus {
  state: LiveRoomState;
  participantsCount: number;
  startedAt?: Date;
}

export interface LiveRoomDeps {
  spaces: SpaceService;
  store: Pick<SpaceStore, 'find'>;
  roomStore: Pick<RoomStore, 'latestClassSession' | 'currentClassSession'>;
}

/**
 * /api/live-room: create, join and status in the live-room schema's words, over the same spaces as
 * /api/v1 (a live room's `room_id` is its space id), so either API sees the other's rooms.
 */
export function createLiveRooms(deps: LiveRoomDeps) {
  const own = async (key: ApiKey, roomId: string): Promise<Space> => {
    const space = await deps.store.find(key.id, roomId);
    if (!space) throw new AppError('SPACE_ROOM_NOT_FOUND');
    return space;
  };

  return {
    /** A new room; SPACE_EXISTS when this key already has one with this id (a unique insert decides). */
    async create(key: ApiKey, input: LiveRoomCreate): Promise<Space> {
      const { instructor } = input;
      const settings = { title: input.topic, maxParticipants: input.participants_limit };
      const who = instructor && { id: instructor.id, name: instructor.name, email: instructor.email || undefined };
      return deps.spaces.create(key, { id: input.room_id, settings }, who);
    },

    /** A join link; an instructor link without a name is for the room's instructor, a participant's a guest's. */
    async join(key: ApiKey, input: LiveRoomJoin): Promise<Omit<SpaceLaunch, 'created'>> {
      const space = await own(key, input.room_id);
      const named = input.name ? { id: input.user_id ?? input.name, name: input.name } : undefined;
      if (input.role === 'participant') {
        return deps.spaces.joinLink(key, space, named && { ...named, role: 'participant' });
      }
      const instructor = named ?? space.instructor;
      if (!instructor) {
        throw new AppError('VALIDATION_FAILED', {
          details: {
            fields: [{ path: 'name', message: 'an instructor link needs a name (none was given at create)' }],
          },
        });
      }
      return deps.spaces.joinLink(key, space, { id: instructor.id, name: instructor.name, role: 'instructor' });
    },

    async status(key: ApiKey, roomId: string): Promise<{ space: Space; status: LiveRoomStatus }> {
      const space = await own(key, roomId);
      const latest = await deps.roomStore.latestClassSession(space.roomKey);
      if (!latest) return { space, status: { state: 'created', participantsCount: 0 } };
      if (latest.endedAt)
        return { space, status: { state: 'ended', participantsCount: 0, startedAt: new Date(latest.startedAt) } };
      const current = await deps.roomStore.currentClassSession(space.roomKey);
      const state = { state: 'in-progress', participantsCount: current?.present.length ?? 0 } as const;
      return { space, status: { ...state, startedAt: new Date(latest.startedAt) } };
    },
  };
}

export type LiveRooms = ReturnType<typeof createLiveRooms>;
