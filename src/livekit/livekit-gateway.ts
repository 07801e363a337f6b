import { RoomServiceClient, ServerError, type Room } from 'livekit-server-sdk';
import { AppError } from '../errors.js';
import type { CreateRoomInput, LiveKitGateway, RoomInfo } from './gateway.js';

export interface LiveKitGatewayOptions {
  apiUrl: string;
  apiKey: string;
  apiSecret: string;
  requestTimeoutMs: number;
}

/** A room name nobody creates: listing it proves the SFU is up and accepts our key without listing all rooms. */
const PING_ROOM = '__readiness_probe__';

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

/** Translates SDK failures into our codes; the SDK message stays in `cause` for logs, never for clients. */
async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw translate(err);
  }
}

export function translate(err: unknown): AppError {
  if (err instanceof ServerError) {
    if (err.status === 401 || err.status === 403) return new AppError('LIVEKIT_UNAUTHORIZED', { cause: err });
    if (err.status >= 500) return new AppError('LIVEKIT_UNAVAILABLE', { cause: err });
    return new AppError('LIVEKIT_REQUEST_FAILED', { cause: err, details: { livekitCode: err.code ?? null } });
  }
  return new AppError('LIVEKIT_UNAVAILABLE', { cause: err });
}
