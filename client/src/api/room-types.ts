/** The room API's JSON shapes, from the server's contract (docs/rooms.md). */
export type {
  JoinGrant,
  ParticipantAction,
  RoomAction,
  RoomStateResponse,
  WaitingAction,
  WaitingEntry,
  WaitingMessage,
} from './contract';

/** The LiveKit data topic of waiting-room messages (the server's WAITING_TOPIC). */
export const WAITING_TOPIC = 'waiting-room';
