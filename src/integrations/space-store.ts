import type { Role } from '../rooms/grants.js';
import type { LessonspaceEventType } from './lessonspace.js';

/** Ours (one `url`, optional `events` filter) and Lessonspace's (one URL per event, `hooks`), either or both. */
export interface SpaceWebhooks {
  url?: string;
  events?: string[];
  /** A list, not a map by event name: stored field names may not contain the event names' dots. */
  hooks?: Array<{ event: LessonspaceEventType; url: string }>;
  /** `room-session`: events to `url` go in the room-session document's names (room-session.ts). */
  naming?: 'room-session';
}

/** The instructor a live room was created with (POST /api/live-room/create); joins as `role: instructor`. */
export interface SpaceInstructor {
  id: string;
  name: string;
  email?: string;
}

/** One integrator room: unique per (API key, integrator's id). Its settings live in an Activity. */
export interface Space {
  id: string;
  apiKeyId: string;
  spaceId: string;
  /** Also the LiveKit room name (room_id in the API). */
  roomKey: string;
  activityId: string;
  /** scrypt `salt:hash`, hex (space-passcodes.ts). */
  passcodeHash?: string;
  /** Where session/participant events are delivered (src/integrations/webhook-outbox.ts). */
  webhooks?: SpaceWebhooks;
  /** HMAC key for webhook signatures; created with the first webhooks and shown to the integrator once. */
  webhookSecret?: string;
  instructor?: SpaceInstructor;
  createdAt: Date;
  updatedAt: Date;
}

export type SpacePatch = Partial<Pick<Space, 'activityId' | 'passcodeHash' | 'webhooks' | 'webhookSecret'>>;

/** Implemented in src/db/space-store.ts. */
export interface SpaceStore {
  /** Inserts unless the (apiKeyId, spaceId) pair exists (unique index); returns the stored one either way. */
  create(space: Space): Promise<{ space: Space; created: boolean }>;
  find(apiKeyId: string, spaceId: string): Promise<Space | undefined>;
  get(id: string): Promise<Space | undefined>;
  findByRoomKeys(apiKeyId: string, roomKeys: string[]): Promise<Space[]>;
  /** Every space of the key (read through the key's index; the video-rooms list pages it). */
  listByKey(apiKeyId: string): Promise<Space[]>;
  update(id: string, patch: SpacePatch): Promise<Space>;
}

/** A per-user join link: only the token's hash is stored; reusable until it expires. */
export interface JoinLink {
  tokenHash: string;
  spaceRef: string;
  apiKeyId: string;
  user: { id: string; name: string };
  role: Role;
  /** A guest link (an id-only launch): each person following it is asked for a name and joins as a participant. */
  guest?: boolean;
  createdAt: Date;
  expiresAt: Date;
}

export interface JoinLinkStore {
  create(link: JoinLink): Promise<void>;
  findValid(tokenHash: string, now: Date): Promise<JoinLink | undefined>;
}
