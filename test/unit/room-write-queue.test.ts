import assert from 'node:assert/strict';
import { queuedPerRoom } from '../../src/db/room-write-queue.js';
import type { RoomRecord, RoomStore } from '../../src/rooms/room-store.js';

/** A store whose writes take a while and record overlap, like FerretDB's read-modify-write updates. */
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
    return {} as RoomRecord;
  };
  const store = {
    setState: (key: string, patch: { locked?: boolean }) => write(key, `lock=${patch.locked}`),
    setControl: (key: string, identity: string) => write(key, identity),
    openSession: (key: string) => write(key, 'open'),
    closeSession: (key: string) => write(key, 'close'),
    recordParticipant: (event: { roomKey: string; identity: string }) => write(event.roomKey, event.identity),
    get: () => Promise.resolve(undefined),
  } as unknown as RoomStore;
  return { store, overlaps, order };
}

describe('per-room write queue (FerretDB updates are not isolated)', () => {
  it('runs writes to one room one at a time, in call order, and other rooms in parallel', async () => {
    const { store, overlaps, order } = slowStore();
    const q = queuedPerRoom(store);
    await Promise.all([
      q.openSession('a', undefined, new Date()),
      q.setState('a', { locked: true }),
      q.setControl('a', 'u-1', { removed: true }),
      q.recordParticipant({ roomKey: 'a', identity: 'u-2' } as never),
      q.closeSession('a', new Date()),
      q.setState('b', { locked: true }),
    ]);
    assert.deepEqual(overlaps, []);
    assert.deepEqual(
      order.filter((o) => o.startsWith('a:')),
      ['a:open', 'a:lock=true', 'a:u-1', 'a:u-2', 'a:close'],
    );
    assert.ok(order.indexOf('b:lock=true') < order.indexOf('a:close'), 'room b did not wait for room a');
  });

  it('keeps going after a failed write, and passes reads through', async () => {
    const { store, order } = slowStore();
    const q = queuedPerRoom(store);
    const failed = q.setControl('a', 'fail', {});
    const next = q.setState('a', { locked: false });
    await assert.rejects(failed, /write failed/);
    await next;
    assert.deepEqual(order, ['a:fail', 'a:lock=false']);
    assert.equal(await q.get('a'), undefined);
  });
});
