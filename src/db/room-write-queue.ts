import type { RoomStore } from '../rooms/room-store.js';

/**
 * FerretDB v1 applies an update as an unisolated read-modify-write of the whole document: of two
 * concurrent updates to one document, even to different fields, one is lost (measured on the sqlite
 * handler: 37 of 50 concurrent `$set` pairs). A lock landing while a webhook opens the session was undone.
 * So every write to a room's documents (the room record and its sessions) runs one at a time per room in
 * this process. Reads stay concurrent. With several tool processes, use MongoDB (atomic updates).
 */
export function queuedPerRoom(store: RoomStore): RoomStore {
  const tails = new Map<string, Promise<unknown>>();
  const serial = <T>(roomKey: string, write: () => Promise<T>): Promise<T> => {
    const run = (tails.get(roomKey) ?? Promise.resolve()).then(write, write);
    const tail = run.catch(() => undefined);
    tails.set(roomKey, tail);
    void tail.then(() => {
      if (tails.get(roomKey) === tail) tails.delete(roomKey);
    });
    return run;
  };
  return {
    ...store,
    setState: (key, patch) => serial(key, () => store.setState(key, patch)),
    setControl: (key, identity, patch) => serial(key, () => store.setControl(key, identity, patch)),
    decideWaiting: (key, identity, decision) => serial(key, () => store.decideWaiting(key, identity, decision)),
    openSession: (key, sid, at) => serial(key, () => store.openSession(key, sid, at)),
    closeSession: (key, at) => serial(key, () => store.closeSession(key, at)),
    recordParticipant: (event) => serial(event.roomKey, () => store.recordParticipant(event)),
  };
}
