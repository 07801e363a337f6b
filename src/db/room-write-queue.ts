import type { RoomStore } from '../rooms/room-store.js';

/**
 * An optimisation, not a guarantee: correctness across processes rests on the store's unique inserts (see
 * room-facts.ts). Concurrent openers and closers of one room in this process (a burst of join webhooks)
 * would each read, insert a duplicate and write the same hint; run one at a time, the first opens and the
 * rest find the session open. Reads and leader actions stay concurrent.
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
    openClassSession: (key, sid, at) => serial(key, () => store.openClassSession(key, sid, at)),
    closeClassSession: (key, at) => serial(key, () => store.closeClassSession(key, at)),
  };
}
