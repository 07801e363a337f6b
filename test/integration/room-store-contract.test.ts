import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRoomStore } from '../../src/db/room-store.js';
import type { Database } from '../../src/db/connection.js';
import type { RoomStore } from '../../src/rooms/room-store.js';
import { MemoryRoomStore } from '../support/fakes/room-store.js';
import { openTestDatabase, useTestEnvironment } from '../support/test-tool.js';

interface Backend {
  store: RoomStore;
  /** Sets the room's session hint back, as a lost update on FerretDB can. */
  staleHint(key: string, sessionId: string | undefined): Promise<void>;
}

/** The same cases against the FerretDB store and the in-memory one the unit tests use: the fake is honest. */
const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'memory',
    async () => {
      const store = new MemoryRoomStore();
      return { store, staleHint: async (key, id) => store.staleHint(key, id) };
    },
  ],
  [
    'FerretDB',
    async () => {
      db ??= await openTestDatabase(await useTestEnvironment());
      const connection = db.connection;
      return {
        store: createRoomStore(connection),
        staleHint: async (key, id) =>
          void (await connection.collection('rooms').updateOne({ key }, { $set: { currentSessionId: id } })),
      };
    },
  ],
];
let db: Database | undefined;
after(async () => {
  await db?.close();
});

for (const [name, open] of backends) {
  describe(`room store contract: ${name}`, function () {
    this.timeout(30_000);
    let b: Backend;
    let key: string;
    beforeEach(async () => {
      b = await open();
      key = `contract-${randomUUID()}`;
      await b.store.ensure({ key, owner: { kind: 'lti', platformId: 'p', deploymentId: 'd', resourceLinkId: key } });
    });

    it('derives controls and switches from the facts of the open session, fresh in the next', async () => {
      const { store } = b;
      const at = new Date();
      await store.openClassSession(key, 'RM_1', at);
      await store.change(key, { kind: 'muted', identity: 'u-1', source: 'microphone', value: true });
      await store.change(key, { kind: 'muted', identity: 'u-1', source: 'camera', value: true });
      await store.change(key, { kind: 'muted', identity: 'u-1', source: 'camera', value: false });
      await store.change(key, { kind: 'locked', value: true });
      await store.change(key, { kind: 'chat', value: false });
      const live = await store.get(key);
      assert.deepEqual(
        [live?.state, live?.locked, live?.chatEnabled, live?.controls['u-1']?.mutedSources],
        ['live', true, false, ['microphone']],
      );
      await store.closeClassSession(key, new Date());
      const after = await store.get(key);
      assert.deepEqual(
        [after?.state, after?.locked, after?.chatEnabled, after?.controls],
        ['created', false, true, {}],
      );
      // Between classes: switches flipped now hold for the next class.
      await store.change(key, { kind: 'chat', value: false });
      const next = await store.openClassSession(key, 'RM_2', new Date());
      assert.notEqual(next.sessionId, live?.currentSessionId);
      assert.equal((await store.get(key))?.chatEnabled, false);
    });

    it('carries a pending wait into the next session and decides it once', async () => {
      const { store } = b;
      await store.openClassSession(key, undefined, new Date());
      await store.change(key, { kind: 'knock', identity: 'u-w', name: 'W', role: 'participant' });
      await store.closeClassSession(key, new Date());
      assert.equal((await store.get(key))?.controls['u-w']?.waiting, 'pending');
      await store.openClassSession(key, undefined, new Date());
      assert.equal((await store.get(key))?.controls['u-w']?.waiting, 'pending');
      assert.equal(await store.decideWaiting(key, 'u-w', 'denied'), 'denied');
      assert.equal(await store.decideWaiting(key, 'u-w', 'admitted'), 'denied');
      assert.equal((await store.get(key))?.controls['u-w']?.waiting, 'denied');
    });

    it('ends a room until an instructor reopens it', async () => {
      const { store } = b;
      await store.openClassSession(key, undefined, new Date());
      await store.change(key, { kind: 'ended', value: true });
      await store.closeClassSession(key, new Date());
      assert.equal((await store.get(key))?.state, 'ended');
      await store.change(key, { kind: 'ended', value: false });
      assert.equal((await store.get(key))?.state, 'created');
    });

    it('gives every racing first launch the room, while reads of the missing room are in flight', async () => {
      const fresh = `contract-${randomUUID()}`;
      const owner = { kind: 'lti', platformId: 'p', deploymentId: 'd', resourceLinkId: fresh } as const;
      const reads = Array.from({ length: 4 }, () => b.store.get(fresh));
      const rooms = await Promise.all(Array.from({ length: 4 }, () => b.store.ensure({ key: fresh, owner })));
      assert.deepEqual(new Set(rooms.map((r) => r.key)), new Set([fresh]));
      await Promise.all(reads);
      assert.equal((await b.store.get(fresh))?.key, fresh);
    });

    it('walks past a stale session hint', async () => {
      const { store } = b;
      const first = await store.openClassSession(key, undefined, new Date());
      await store.closeClassSession(key, new Date());
      const second = await store.openClassSession(key, undefined, new Date());
      await store.change(key, { kind: 'locked', value: true });
      await b.staleHint(key, first.sessionId);
      const room = await store.get(key);
      assert.deepEqual([room?.currentSessionId, room?.state, room?.locked], [second.sessionId, 'live', true]);
      assert.equal((await store.currentClassSession(key))?.sessionId, second.sessionId);
      assert.equal((await store.openClassSession(key, undefined, new Date())).sessionId, second.sessionId);
    });

    it('lists a session as open until it closes', async () => {
      const { store } = b;
      const openOf = async () => (await store.openClassSessions(10_000)).filter((s) => s.roomKey === key);
      assert.deepEqual(await openOf(), []);
      const s = await store.openClassSession(key, 'RM_1', new Date());
      assert.deepEqual(
        (await openOf()).map((o) => [o.sessionId, o.endedAt]),
        [[s.sessionId, undefined]],
      );
      await store.closeClassSession(key, new Date());
      assert.deepEqual(await openOf(), []);
    });

    it('records a join once per event id and derives presence', async () => {
      const { store } = b;
      const s = await store.openClassSession(key, undefined, new Date());
      const at = new Date();
      const ev = { roomKey: key, sessionId: s.sessionId, identity: 'u-1', name: 'U', at };
      assert.equal(await store.recordParticipant({ ...ev, eventId: `${key}-1`, kind: 'joined' }), true);
      assert.equal(await store.recordParticipant({ ...ev, eventId: `${key}-1`, kind: 'joined' }), false);
      assert.deepEqual((await store.currentClassSession(key))?.present, ['u-1']);
      await store.recordParticipant({ ...ev, eventId: `${key}-2`, kind: 'left' });
      assert.deepEqual((await store.currentClassSession(key))?.present, []);
      assert.equal((await store.participantEvents(key)).length, 2);
    });
  });
}
