import { availability, type ActivitySettings } from './activity-settings.js';
import type { Role } from './grants.js';
import type { ParticipantControl, RoomState } from './room-store.js';

/** Participants may enter this long before the scheduled start (instructors any time). */
export const EARLY_ENTRY_MS = 15 * 60_000;

export type JoinRefusal =
  | { code: 'ROOM_ENDED' }
  | { code: 'ROOM_NOT_OPEN'; opensAt: Date }
  | { code: 'ROOM_LOCKED' }
  | { code: 'ROOM_PARTICIPANT_REMOVED' }
  | { code: 'ROOM_WAITING_FOR_INSTRUCTOR' }
  | { code: 'ROOM_IN_WAITING_ROOM' }
  | { code: 'ROOM_WAITING_DENIED' }
  | { code: 'ROOM_FULL'; maxParticipants: number };

export type JoinDecision = { ok: true; reopen: boolean } | ({ ok: false } & JoinRefusal);

export interface JoinFacts {
  role: Role;
  settings: Pick<
    ActivitySettings,
    'startAt' | 'durationMinutes' | 'waitingRoom' | 'joinBeforeInstructor' | 'maxParticipants'
  >;
  room: { state: RoomState; locked: boolean };
  control: ParticipantControl | undefined;
  /** Whether an instructor is connected to the room right now. */
  instructorPresent: boolean;
  /** Connected participants right now, not counting this user. */
  participantCount: number;
  now: Date;
}

/**
 * Who may get a join token, in a fixed order so the refusal names the first reason that applies.
 * Instructors lead: they pass every gate, and an instructor joining an ended room reopens it.
 */
export function decideJoin(f: JoinFacts): JoinDecision {
  if (f.role === 'instructor') return { ok: true, reopen: f.room.state === 'ended' };
  const refuse = (r: JoinRefusal): JoinDecision => ({ ok: false, ...r });

  if (f.room.state === 'ended') return refuse({ code: 'ROOM_ENDED' });
  const window = availability(f.settings as ActivitySettings);
  if (window && f.now.getTime() < window.start.getTime() - EARLY_ENTRY_MS) {
    return refuse({ code: 'ROOM_NOT_OPEN', opensAt: new Date(window.start.getTime() - EARLY_ENTRY_MS) });
  }
  if (f.control?.removed) return refuse({ code: 'ROOM_PARTICIPANT_REMOVED' });
  if (f.room.locked) return refuse({ code: 'ROOM_LOCKED' });
  if (!f.settings.joinBeforeInstructor && !f.instructorPresent) return refuse({ code: 'ROOM_WAITING_FOR_INSTRUCTOR' });
  if (f.settings.waitingRoom) {
    if (f.control?.waiting === 'denied') return refuse({ code: 'ROOM_WAITING_DENIED' });
    if (f.control?.waiting !== 'admitted') return refuse({ code: 'ROOM_IN_WAITING_ROOM' });
  }
  if (f.participantCount >= f.settings.maxParticipants)
    return refuse({ code: 'ROOM_FULL', maxParticipants: f.settings.maxParticipants });
  return { ok: true, reopen: false };
}
