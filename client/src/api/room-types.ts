/**
 * The room API's JSON shapes (docs/rooms.md). They are not in src/http/contract.ts yet; when the server
 * adds them there, replace these with `import type` from './contract'.
 */
import type { AppRole, RoomStatus } from './contract';

/** POST /api/room/token, and the lobby token of an IN_WAITING_ROOM refusal (`details.lobby`). */
export interface JoinGrant {
  /** The LiveKit URL the browser connects to. */
  url: string;
  token: string;
  identity: string;
  expiresAt: string;
  room: string;
}

/** One person in the waiting room, as GET /api/room lists it and the 'queue' message pushes it. */
export interface WaitingEntry {
  identity: string;
  name: string;
  role: AppRole;
  since?: string;
}

/** GET /api/room: the room's status, and the waiting queue for instructors. */
export interface RoomStateResponse extends RoomStatus {
  waiting?: WaitingEntry[];
}

export type ParticipantAction =
  'mute-audio' | 'mute-video' | 'allow-audio' | 'allow-video' | 'remove' | 'promote' | 'demote' | 'lower-hand';
export type RoomAction = 'lock' | 'unlock' | 'mute-all' | 'end';
export type WaitingAction = 'admit' | 'deny';

/** Data messages on topic 'waiting-room'. */
export type WaitingMessage = { type: 'admitted' } | { type: 'denied' } | { type: 'queue'; queue: WaitingEntry[] };
export const WAITING_TOPIC = 'waiting-room';
