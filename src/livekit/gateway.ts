/**
 * What the rest of the tool knows about the SFU: plain data in, plain data out. Only src/livekit/ imports
 * livekit-server-sdk; unit tests use a fake of this interface.
 */
export interface RoomInfo {
  name: string;
  sid: string;
  numParticipants: number;
  maxParticipants: number;
  metadata: string;
  createdAt: Date;
}

export interface CreateRoomInput {
  name: string;
  maxParticipants?: number;
  /** Seconds to keep an unjoined room. */
  emptyTimeoutSeconds?: number;
  /** Seconds to keep a room after the last participant left. */
  departureTimeoutSeconds?: number;
  metadata?: string;
}

export type Source = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio';

/**
 * Every permission field LiveKit reads, always set: LiveKit treats an omitted canPublish/canSubscribe as
 * true. Used for join tokens and for updateParticipant (which replaces the whole permission set).
 */
export interface ParticipantGrants {
  roomAdmin: boolean;
  canPublish: boolean;
  canPublishSources: Source[];
  canSubscribe: boolean;
  canPublishData: boolean;
  canUpdateOwnMetadata: boolean;
  hidden: boolean;
  recorder: boolean;
}

export interface JoinTokenInput {
  room: string;
  identity: string;
  name: string;
  metadata: string;
  /** Key/value facts about the participant that every client sees and only the tool can change. */
  attributes: Record<string, string>;
  grants: ParticipantGrants;
  ttlSeconds: number;
}

export interface ParticipantInfo {
  identity: string;
  sid: string;
  name: string;
  metadata: string;
  attributes: Record<string, string>;
  joinedAt: Date;
  tracks: Array<{ sid: string; source: Source | 'unknown'; muted: boolean }>;
  permission?: ParticipantGrants;
}

export interface LiveKitGateway {
  /** Resolves when the SFU answers an authenticated request. */
  ping(): Promise<void>;
  createRoom(input: CreateRoomInput): Promise<RoomInfo>;
  listRooms(names?: string[]): Promise<RoomInfo[]>;
  deleteRoom(name: string): Promise<void>;
  updateRoomMetadata(room: string, metadata: string): Promise<void>;
  /** Signs a join token locally (no SFU round trip). */
  mintJoinToken(input: JoinTokenInput): Promise<{ token: string; expiresAt: Date }>;
  listParticipants(room: string): Promise<ParticipantInfo[]>;
  /**
   * Replaces the participant's permission set (and optionally metadata): the SFU enforces it at once. Taking
   * canSubscribe away stops every track the participant receives (LiveKit drops its forwarders but keeps
   * what the participant asked for); giving it back resumes them, with no request from the participant.
   * `attributes` are merged key by key (an empty value deletes the key).
   */
  updateParticipant(
    room: string,
    identity: string,
    update: { grants?: ParticipantGrants; metadata?: string; attributes?: Record<string, string> },
  ): Promise<void>;
  /** Disconnects the participant and revokes tokens issued before now. */
  removeParticipant(room: string, identity: string): Promise<void>;
  mutePublishedTrack(room: string, identity: string, trackSid: string, muted: boolean): Promise<void>;
  /** Reliable data message to some (or all) participants: how the tool pushes events to clients. */
  sendData(room: string, payload: unknown, options: { topic: string; to?: string[] }): Promise<void>;
}
