import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/connection.js';
import { createRoomStore } from '../../src/db/room-store.js';
import { roomKeyOf, type RoomOwner } from '../../src/rooms/room-owner.js';
import type { RoomStore } from '../../src/rooms/room-store.js';
import { openTestDatabase, useTestEnvironment } from '../support/test-tool.js';

/** Rooms record their owner; rooms stored before that (flat platform and link fields) still read alike. */
describe('room owner in the store', function () {
  this.timeout(60_000);
  let db: Database;
  let store: RoomStore;
  const run = randomUUID().slice(0, 8);

  before(async () => {
    db = await openTestDatabase(await useTestEnvironment());
    store = createRoomStore(db.connection);
  });
  after(async () => {
    await db?.close();
  });

  /** A room document as the tool stored it before rooms recorded their owner. */
  const insertLegacy = async (fields: Record<string, string>): Promise<string> => {
    const key = `lc-legacy-${randomUUID()}`;
    const at = new Date();
    await db.connection.collection('rooms').insertOne({
      key,
      ...fields,
      state: 'created',
      locked: false,
      chatEnabled: true,
      controls: {},
      createdAt: at,
      updatedAt: at,
    });
    return key;
  };

  it("reads an old space room's owner from its synthetic platform id", async () => {
    const key = await insertLegacy({
      platformId: `space:key_${run}`,
      deploymentId: 'space',
      resourceLinkId: 'algebra',
      activityId: 'act_1',
    });
    const room = await store.get(key);
    assert.deepEqual(room?.owner, { kind: 'space', apiKeyId: `key_${run}`, spaceId: 'algebra' });
    assert.equal(room?.activityId, 'act_1');
    assert.equal('platformId' in (room ?? {}), false, 'the flat fields are not handed on');
  });

  it("reads an old LTI room's owner, and ensure keeps the room as stored", async () => {
    const fields = { platformId: `lms-${run}`, deploymentId: 'd-1', contextId: 'c-1', resourceLinkId: 'l-1' };
    const key = await insertLegacy(fields);
    const owner: RoomOwner = { kind: 'lti', ...fields };
    assert.deepEqual((await store.get(key))?.owner, owner);
    const ensured = await store.ensure({ key, owner });
    assert.deepEqual(ensured.owner, owner);
    assert.equal(await db.connection.collection('rooms').countDocuments({ key }), 1);
  });

  it('finds the rooms of a platform and of an API key, stored before or after owners were', async () => {
    const lti: RoomOwner = { kind: 'lti', platformId: `lms-keys-${run}`, deploymentId: 'd', resourceLinkId: 'new' };
    const space: RoomOwner = { kind: 'space', apiKeyId: `key_keys_${run}`, spaceId: 'new' };
    const [ltiNew, spaceNew] = await Promise.all(
      [lti, space].map(async (owner) => (await store.ensure({ key: roomKeyOf(owner), owner })).key),
    );
    const ltiOld = await insertLegacy({ platformId: lti.platformId, deploymentId: 'd', resourceLinkId: 'old' });
    const spaceOld = await insertLegacy({
      platformId: `space:${space.apiKeyId}`,
      deploymentId: 'space',
      resourceLinkId: 'old',
    });
    const sorted = (keys: string[]) => [...keys].sort();
    assert.deepEqual(
      sorted(await store.keysOf({ kind: 'lti', platformId: lti.platformId })),
      sorted([ltiNew!, ltiOld]),
    );
    assert.deepEqual(
      sorted(await store.keysOf({ kind: 'space', apiKeyId: space.apiKeyId })),
      sorted([spaceNew!, spaceOld]),
    );
    // A platform id that looks like an API key id finds no space's rooms.
    assert.deepEqual(await store.keysOf({ kind: 'lti', platformId: space.apiKeyId }), []);
  });
});
