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

export interface LiveKitGateway {
  /** Resolves when the SFU answers an authenticated request. */
  ping(): Promise<void>;
  createRoom(input: CreateRoomInput): Promise<RoomInfo>;
  listRooms(names?: string[]): Promise<RoomInfo[]>;
  deleteRoom(name: string): Promise<void>;
}
