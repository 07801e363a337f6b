import { AppError } from '../../../src/errors.js';
import type {
  CreateRoomInput,
  JoinTokenInput,
  LiveKitGateway,
  ParticipantGrants,
  ParticipantInfo,
  RoomInfo,
} from '../../../src/livekit/gateway.js';

const notFound = (what: string) => new AppError('LIVEKIT_NOT_FOUND', { details: { what } });

/**
 * The SFU in memory: rooms, their participants and what the tool asked of it (`calls`, `sent`, `tokens`).
 * Unknown rooms and participants answer LIVEKIT_NOT_FOUND, as LiveKit's 404 does through the real gateway.
 */
export class FakeLiveKit implements LiveKitGateway {
  readonly rooms = new Map<string, { info: RoomInfo; participants: Map<string, ParticipantInfo> }>();
  readonly calls: string[] = [];
  readonly sent: Array<{ room: string; payload: unknown; topic: string; to?: string[] }> = [];
  readonly tokens: JoinTokenInput[] = [];

  /** Puts a participant in a room (creating the room), as a connect with a token would. */
  connect(room: string, p: Partial<ParticipantInfo> & { identity: string; permission: ParticipantGrants }): void {
    this.roomOf(room, true).participants.set(p.identity, {
      sid: `PA_${p.identity}`,
      name: p.identity,
      metadata: '',
      attributes: {},
      joinedAt: new Date(),
      tracks: [],
      ...p,
    });
  }

  participant(room: string, identity: string): ParticipantInfo | undefined {
    return this.rooms.get(room)?.participants.get(identity);
  }

  async ping(): Promise<void> {}

  async createRoom(input: CreateRoomInput): Promise<RoomInfo> {
    this.calls.push(`createRoom ${input.name}`);
    const room = this.roomOf(input.name, true);
    if (input.metadata !== undefined && !room.info.metadata) room.info.metadata = input.metadata;
    return { ...room.info };
  }

  async listRooms(names?: string[]): Promise<RoomInfo[]> {
    return [...this.rooms.values()].map((r) => r.info).filter((r) => !names || names.includes(r.name));
  }

  async deleteRoom(name: string): Promise<void> {
    this.calls.push(`deleteRoom ${name}`);
    if (!this.rooms.delete(name)) throw notFound(name);
  }

  async updateRoomMetadata(room: string, metadata: string): Promise<void> {
    this.calls.push(`updateRoomMetadata ${room}`);
    this.roomOf(room).info.metadata = metadata;
  }

  async mintJoinToken(input: JoinTokenInput): Promise<{ token: string; expiresAt: Date }> {
    this.tokens.push(input);
    return { token: `token-${this.tokens.length}`, expiresAt: new Date(Date.now() + input.ttlSeconds * 1000) };
  }

  async listParticipants(room: string): Promise<ParticipantInfo[]> {
    return [...this.roomOf(room).participants.values()];
  }

  async updateParticipant(
    room: string,
    identity: string,
    update: { grants?: ParticipantGrants; metadata?: string; attributes?: Record<string, string> },
  ): Promise<void> {
    this.calls.push(`updateParticipant ${room} ${identity}`);
    const p = this.roomOf(room).participants.get(identity);
    if (!p) throw notFound(identity);
    if (update.grants) p.permission = update.grants;
    if (update.metadata !== undefined) p.metadata = update.metadata;
    for (const [k, v] of Object.entries(update.attributes ?? {})) {
      if (v) p.attributes[k] = v;
      else delete p.attributes[k];
    }
  }

  async removeParticipant(room: string, identity: string): Promise<void> {
    this.calls.push(`removeParticipant ${room} ${identity}`);
    if (!this.roomOf(room).participants.delete(identity)) throw notFound(identity);
  }

  async mutePublishedTrack(room: string, identity: string, trackSid: string, muted: boolean): Promise<void> {
    this.calls.push(`mutePublishedTrack ${room} ${identity} ${trackSid}`);
    const track = this.roomOf(room)
      .participants.get(identity)
      ?.tracks.find((t) => t.sid === trackSid);
    if (!track) throw notFound(trackSid);
    track.muted = muted;
  }

  async sendData(room: string, payload: unknown, options: { topic: string; to?: string[] }): Promise<void> {
    this.roomOf(room);
    this.sent.push({ room, payload, ...options });
  }

  private roomOf(name: string, create = false) {
    let room = this.rooms.get(name);
    if (!room && create) {
      const info = {
        name,
        sid: `RM_${name}`,
        numParticipants: 0,
        maxParticipants: 0,
        metadata: '',
        createdAt: new Date(),
      };
      room = { info, participants: new Map() };
      this.rooms.set(name, room);
    }
    if (!room) throw notFound(name);
    return room;
  }
}
