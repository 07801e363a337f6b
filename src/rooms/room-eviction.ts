import type { AppError } from '../errors.js';
import type { LiveKitGateway } from '../livekit/gateway.js';
import type { Logger } from '../log.js';
import { lobbyName } from './room-service.js';
import type { OwnerRef } from './room-owner.js';
import type { RoomStore } from './room-store.js';

/** Room names per listRooms call: a platform may own thousands of rooms, the SFU has few of them open. */
const BATCH = 100;

/**
 * Empties every live room (and waiting lobby) of a platform or integrator key whose sessions were just
 * revoked. Deleting the SFU room disconnects everyone in it at once, and with room auto-creation off a
 * join token minted before the revocation finds no room to enter; only the tool creates rooms again, for
 * a session that authenticates. Everyone in such a room is that owner's: rooms record their owner, and
 * identities are derived from it. Throws (LIVEKIT_*) when the SFU cannot be reached, so the caller can say so.
 */
export function createRoomEviction(deps: {
  store: Pick<RoomStore, 'keysOf'>;
  livekit: Pick<LiveKitGateway, 'listRooms' | 'deleteRoom'>;
  logger: Logger;
}) {
  const log = deps.logger.child({ module: 'rooms' });
  return async function evictOwner(owner: OwnerRef): Promise<number> {
    const names = (await deps.store.keysOf(owner)).flatMap((key) => [key, lobbyName(key)]);
    let emptied = 0;
    for (let i = 0; i < names.length; i += BATCH) {
      for (const room of await deps.livekit.listRooms(names.slice(i, i + BATCH))) {
        await deps.livekit.deleteRoom(room.name).catch((err: unknown) => {
          if ((err as AppError).code !== 'LIVEKIT_NOT_FOUND') throw err;
        });
        emptied++;
      }
    }
    log.info({ owner, rooms: names.length / 2, emptied }, 'rooms of a revoked owner emptied');
    return emptied;
  };
}
