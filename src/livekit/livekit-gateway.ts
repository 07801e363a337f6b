import {
  AccessToken,
  DataPacket_Kind,
  RoomServiceClient,
  ServerError,
  TrackSource,
  type ParticipantInfo as LkParticipant,
  type ParticipantPermission,
  type Room,
} from 'livekit-server-sdk';
import { AppError } from '../errors.js';
import type {
  CreateRoomInput,
  LiveKitGateway,
  ParticipantGrants,
  ParticipantInfo,
  RoomInfo,
  Source,
} from './gateway.js';

export interface LiveKitGatewayOptions {
  apiUrl: string;
  apiKey: string;
  apiSecret: string;
  requestTimeoutMs: number;
}

/** A room name nobody creates: listing it proves the SFU is up and accepts our key without listing all rooms. */
const PING_ROOM = '__readiness_probe__';

const TO_LK: Record<Source, TrackSource> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};
const FROM_LK = new Map<TrackSource, Source>(Object.entries(TO_LK).map(([k, v]) => [v, k as Source]));

export function createLiveKitGateway(options: LiveKitGatewayOptions): LiveKitGateway {
  const client = new RoomServiceClient(options.apiUrl, options.apiKey, options.apiSecret, {
    requestTimeout: Math.max(1, Math.ceil(options.requestTimeoutMs / 1000)),
    failover: false,
  });
  return {
    ping: () => call(async () => void (await client.listRooms([PING_ROOM]))),
    createRoom: (input: CreateRoomInput) =>
      call(async () =>
        toRoomInfo(
          await client.createRoom({
            name: input.name,
            maxParticipants: input.maxParticipants,
            emptyTimeout: input.emptyTimeoutSeconds,
            departureTimeout: input.departureTimeoutSeconds,
            metadata: input.metadata,
          }),
        ),
      ),
    listRooms: (names?: string[]) => call(async () => (await client.listRooms(names)).map(toRoomInfo)),
    deleteRoom: (name: string) => call(() => client.deleteRoom(name)),
    updateRoomMetadata: (room, metadata) => call(async () => void (await client.updateRoomMetadata(room, metadata))),
    async mintJoinToken(input) {
      const at = new AccessToken(options.apiKey, options.apiSecret, {
        identity: input.identity,
        name: input.name,
        metadata: input.metadata,
        attributes: input.attributes,
        ttl: input.ttlSeconds,
      });
      const g = input.grants;
      at.addGrant({
        roomJoin: true,
        room: input.room,
        roomCreate: false,
        roomList: false,
        roomRecord: false,
        ingressAdmin: false,
        roomAdmin: g.roomAdmin,
        canPublish: g.canPublish,
        canPublishSources: g.canPublishSources.map((s) => TO_LK[s]),
        canSubscribe: g.canSubscribe,
        canPublishData: g.canPublishData,
        canUpdateOwnMetadata: g.canUpdateOwnMetadata,
        hidden: g.hidden,
        recorder: g.recorder,
      });
      const token = await at.toJwt();
      return { token, expiresAt: new Date(Date.now() + input.ttlSeconds * 1000) };
    },
    listParticipants: (room) => call(async () => (await client.listParticipants(room)).map(toParticipant)),
    updateParticipant: (room, identity, update) =>
      call(async () => {
        await client.updateParticipant(room, identity, {
          metadata: update.metadata,
          permission: update.grants ? toPermission(update.grants) : undefined,
          attributes: update.attributes,
        });
      }),
    removeParticipant: (room, identity) =>
      call(() => client.removeParticipant(room, identity, { revokeTokenTs: BigInt(Math.floor(Date.now() / 1000)) })),
    mutePublishedTrack: (room, identity, trackSid, muted) =>
      call(async () => void (await client.mutePublishedTrack(room, identity, trackSid, muted))),
    sendData: (room, payload, { topic, to }) =>
      call(() =>
        client.sendData(room, new TextEncoder().encode(JSON.stringify(payload)), DataPacket_Kind.RELIABLE, {
          topic,
          destinationIdentities: to,
        }),
      ),
  };
}

/** updateParticipant replaces the whole permission set, so every field is sent. */
function toPermission(g: ParticipantGrants): Partial<ParticipantPermission> {
  return {
    canSubscribe: g.canSubscribe,
    canPublish: g.canPublish,
    canPublishData: g.canPublishData,
    canPublishSources: g.canPublishSources.map((s) => TO_LK[s]),
    canUpdateMetadata: g.canUpdateOwnMetadata,
    hidden: g.hidden,
    recorder: g.recorder,
  };
}

function toRoomInfo(room: Room): RoomInfo {
  return {
    name: room.name,
    sid: room.sid,
    numParticipants: room.numParticipants,
    maxParticipants: room.maxParticipants,
    metadata: room.metadata,
    createdAt: new Date(Number(room.creationTimeMs || room.creationTime * 1000n)),
  };
}

export function toParticipant(p: LkParticipant): ParticipantInfo {
  return {
    identity: p.identity,
    sid: p.sid,
    name: p.name,
    metadata: p.metadata,
    attributes: { ...p.attributes },
    joinedAt: new Date(Number(p.joinedAtMs || p.joinedAt * 1000n)),
    tracks: p.tracks.map((t) => ({ sid: t.sid, source: FROM_LK.get(t.source) ?? 'unknown', muted: t.muted })),
    permission: p.permission
      ? {
          roomAdmin: false,
          canPublish: p.permission.canPublish,
          canPublishSources: p.permission.canPublishSources.flatMap((s) => FROM_LK.get(s) ?? []),
          canSubscribe: p.permission.canSubscribe,
          canPublishData: p.permission.canPublishData,
          canUpdateOwnMetadata: p.permission.canUpdateMetadata,
          hidden: p.permission.hidden,
          recorder: p.permission.recorder,
        }
      : undefined,
  };
}

/** Translates SDK failures into our codes; the SDK message stays in `cause` for logs, never for clients. */
/** Runs an SDK call, its errors translated into our codes. */
export async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw translate(err);
  }
}

export function translate(err: unknown): AppError {
  if (err instanceof ServerError) {
    if (err.status === 401 || err.status === 403) return new AppError('LIVEKIT_UNAUTHORIZED', { cause: err });
    if (err.status === 404) return new AppError('LIVEKIT_NOT_FOUND', { cause: err });
    if (err.status >= 500) return new AppError('LIVEKIT_UNAVAILABLE', { cause: err });
    return new AppError('LIVEKIT_REQUEST_FAILED', { cause: err, details: { livekitCode: err.code ?? null } });
  }
  return new AppError('LIVEKIT_UNAVAILABLE', { cause: err });
}
