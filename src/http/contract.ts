/** Types shared with the launcher (client imports them with `import type`). Plain JSON shapes only. */
import type { ActivitySettings, ActivitySettingsInput } from '../rooms/activity-settings.js';
import type { MessageType } from '../lti/claims.js';
import type { Role } from '../rooms/grants.js';
import type { RoomStatus } from '../rooms/room-status.js';

export type { ActivitySettings, ActivitySettingsInput, MessageType, Role, RoomStatus };

export interface ErrorResponse {
  /** `formerCode`: the old name of a renamed code (docs/errors.md, "Renamed codes"). */
  error: { code: string; message: string; details?: Record<string, unknown>; formerCode?: string };
}

export interface MeResponse {
  user: { id: string; name: string; role: Role; email?: string; picture?: string };
  messageType: MessageType;
  platform: { id: string; name: string };
  /** The launcher's look for this platform (its override, else the tool default); absent when neither is set. */
  branding?: { color?: string; logoUrl?: string };
  context?: { id: string; label?: string; title?: string };
  resourceLink?: { id: string; title?: string };
  /** The live class this launch opens; absent for deep linking, and while activityPending. */
  activity?: { id: string; settings: ActivitySettings };
  /** A link nobody set up yet: its class is created when a teacher first opens it (learners wait). */
  activityPending?: true;
  /** The room this launch opens (absent for deep linking). */
  room?: RoomStatus;
  locale?: string;
  timezone?: string;
  returnUrl?: string;
  sessionExpiresAt: string;
}

export type DeepLinkingRequest = ActivitySettingsInput;

export interface DeepLinkingResponse {
  /** Where the launcher must POST `JWT=<jwt>` (the LMS's deep_link_return_url), top-level in its frame. */
  returnUrl: string;
  jwt: string;
  activityId: string;
}

/** POST /api/room/token, and the lobby token of an ROOM_IN_WAITING_ROOM refusal (`details.lobby`). */
export type { JoinGrant } from '../rooms/room-service.js';

/** One person in the waiting room, as GET /api/room lists it and the 'queue' message pushes it. */
export interface WaitingEntry {
  identity: string;
  name: string;
  role: Role;
  since?: string;
}

/** GET /api/room: the room's status, and the waiting queue for instructors. */
export interface RoomStateResponse extends RoomStatus {
  waiting?: WaitingEntry[];
}

export type { ParticipantAction, RoomAction, WaitingAction } from '../rooms/room-controls.js';
/** The LiveKit room metadata (JSON) the tool writes: `{ title, locked, audioOnly, chatEnabled }`. */
export type { RoomMetadata } from '../rooms/room-metadata.js';
/** The track sources of leader mutes and publish permissions. */
export type { Source } from '../rooms/grants.js';
/** The LiveKit data topic of waiting-room messages (the server's WAITING_TOPIC). */
export type { WaitingTopic } from '../rooms/room-service.js';

/** LiveKit data messages on topic 'waiting-room'. */
export type WaitingMessage = { type: 'admitted' } | { type: 'denied' } | { type: 'queue'; queue: WaitingEntry[] };
