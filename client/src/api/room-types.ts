/** The room API's JSON shapes, from the server's contract (docs/rooms.md). */
export type {
  BulkAction,
  JoinGrant,
  ParticipantAction,
  RoomMetadata,
  Source,
  WaitingTopic,
  RoomAction,
  RoomStateResponse,
  WaitingAction,
  WaitingEntry,
  WaitingMessage,
} from './contract';

import type { WaitingTopic } from './contract';

/** The LiveKit data topic of waiting-room messages: typed by the server's, so the two cannot drift apart. */
export const WAITING_TOPIC: WaitingTopic = 'waiting-room';
