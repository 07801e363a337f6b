import assert from 'node:assert/strict';
import { queuedPerRoom } from '../../src/db/room-write-queue.js';
import type { ClassSession, RoomStore } from '../../src/rooms/room-store.js';

/** A store whose session writes take a while and record overlap. */
function slowStore() {
  const running = new Map<string, number>();
  const overlaps: string[] = [];
  const order: string[] = [];
  const write = async (key: string, what: string) => {
    running.set(key, (running.get(key) ?? 0) + 1);
    if ((running.get(key) ?? 0) > 1) overlaps.push(`${key}:${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    order.push(`${key}:${what}`);
    running.set(key, (running.get(key) ?? 1) - 1);
    if (what === 'fail') throw new Error('write failed');
    return {} as ClassSession;
  };
  const store = {
    openClassSession: (key: string, sid: string | undefined) => write(key, sid ?? 'open'),
    closeClassSession: (key: string) => write(key, 'close'),
    get: () => Promise.resolve(undefined),
  } as unknown as RoomStore;
  return { store, overlaps, order };
}

describe('per-room session queue (an optimisation: one opener per room at a time in a process)', () => {
  it('opens and closes one room one at a time, in call order, and other rooms in parallel', async () => {
    const { store, overlaps, order } = slowStore();
    const q = queuedPerRoom(store);
    await Promise.all([
      q.openClassSession('a', undefined, new Date()),
      q.openClassSession('a', 'again', new Date()),
      q.closeClassSession('a', new Date()),
      q.openClassSession('b', undefined, new Date()),
    ]);
    assert.deepEqual(overlaps, []);
    assert.deepEqual(
      order.filter((o) => o.startsWith('a:')),
      ['a:open', 'a:again', 'a:close'],
    );
    assert.ok(order.indexOf('b:open') < order.indexOf('a:close'), 'room b did not wait for room a');
  });

  it('keeps going after a failed write, and passes reads through', async () => {
    const { store, order } = slowStore();
    const q = queuedPerRoom(store);
    const failed = q.openClassSession('a', 'fail', new Date());
    const next = q.closeClassSession('a', new Date());
    await assert.rejects(failed, /write failed/);
    await next;
    assert.deepEqual(order, ['a:fail', 'a:close']);
    assert.equal(await q.get('a'), undefined);
  });
});
