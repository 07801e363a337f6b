import type { RoomRecording } from '../recordings/recordings.js';
import type { RoomService, Member } from './room-service.js';
import type { RoomRecord, RoomState, RoomStore } from './room-store.js';

/** A room as the launcher shows it to a member: the one status shape of /api/me and GET /api/room. */
export interface RoomStatus {
  state: RoomState;
  locked: boolean;
  /** False while an instructor has chat turned off (participants cannot publish data); on again next session. */
  chatEnabled: boolean;
  sessionId: string | null;
  startedAt: string | null;
  participantCount: number;
  /**
   * Whether the class is being recorded or streamed (everyone sees it, the pre-join page too), whether it
   * records by itself, and whether recording is available here (and if not, why).
   */
  recording?: RoomRecording;
}

/** The room a member's launch opens (created on first use), and its live session if one is open. */
export async function roomStatusOf(
  deps: {
    rooms: Pick<RoomService, 'ensureRoom'>;
    store: Pick<RoomStore, 'currentClassSession'>;
    /** The recordings module's view of the room (absent in setups without it). */
    recording?: (room: RoomRecord, m: Member) => Promise<RoomRecording>;
  },
  m: Member,
): Promise<RoomStatus> {
  const room = await deps.rooms.ensureRoom(m);
  // A room that never had a session has none to read (the launcher's first /api/me, mostly).
  const session = room.currentSessionId ? await deps.store.currentClassSession(room.key) : undefined;
  const live = session && !session.endedAt ? session : undefined;
  return {
    state: room.state,
    locked: room.locked,
    chatEnabled: room.chatEnabled,
    sessionId: live?.sessionId ?? null,
    startedAt: live?.startedAt.toISOString() ?? null,
    participantCount: live?.present.length ?? 0,
    ...(deps.recording ? { recording: await deps.recording(room, m) } : {}),
  };
}
