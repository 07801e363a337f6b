import type { Role } from '../rooms/grants.js';

/**
 * The facts the video-rooms API adds to a space (docs/integrator-api.md#video-rooms). Each is an insert of a
 * natural unique key, never an update, so two tool processes (or two requests) cannot lose one another's
 * writes (see STORE.md): a room's settings are numbered versions, its deletion one fact, a refresh token's
 * use one fact.
 */

/** A room's settings as of one change: version n+1 is inserted by whoever read version n (one wins). */
export interface RoomVersion {
  /** The space's own id (Space.id). */
  spaceRef: string;
  version: number;
  /** The activity holding these settings (activities are never updated once inserted). */
  activityId: string;
  /** The one webhook URL of the room; null when it was removed. */
  webhookUrl: string | null;
  at: Date;
}

export interface RoomDeletion {
  apiKeyId: string;
  /** The integrator's name of the room (Space.spaceId). */
  spaceId: string;
  roomKey: string;
  at: Date;
}

/** A refresh token, stored by its hash: it gives one new access token for the same person and room. */
export interface RefreshGrant {
  tokenHash: string;
  spaceRef: string;
  apiKeyId: string;
  user: { id: string; name: string };
  role: Role;
  /** The access token's time to live, kept for the tokens it is refreshed into. */
  ttlSeconds: number;
  createdAt: Date;
  expiresAt: Date;
}

/** Implemented in src/db/video-room-store.ts. */
export interface VideoRoomStore {
  /** False when that version of the room exists already (another change won it). */
  addVersion(version: RoomVersion): Promise<boolean>;
  latestVersion(spaceRef: string): Promise<RoomVersion | undefined>;
  /** False when the room was deleted already. */
  addDeletion(deletion: RoomDeletion): Promise<boolean>;
  deletion(apiKeyId: string, spaceId: string): Promise<RoomDeletion | undefined>;
  deletionsOf(apiKeyId: string): Promise<RoomDeletion[]>;
  addRefresh(grant: RefreshGrant): Promise<void>;
  /** The unexpired grant with this hash. */
  findRefresh(tokenHash: string, now: Date): Promise<RefreshGrant | undefined>;
  /** Marks the grant used: true for the one caller (of any process) whose insert won. */
  useRefresh(tokenHash: string, at: Date): Promise<boolean>;
}
