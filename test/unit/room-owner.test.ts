import assert from 'node:assert/strict';
import {
  identityIn,
  namespaceOf,
  ownerOfLaunch,
  ownerRefOf,
  roomKeyOf,
  type OwnerRef,
  type RoomOwner,
} from '../../src/rooms/room-owner.js';

const space: RoomOwner = { kind: 'space', apiKeyId: 'key_1', spaceId: 'algebra' };
const lti: RoomOwner = {
  kind: 'lti',
  platformId: 'https://lms.example',
  deploymentId: 'dep-1',
  contextId: 'course-7',
  resourceLinkId: 'link-3',
};

describe('room owner', () => {
  // Keys and identities as they were derived before rooms recorded their owner: they must not change.
  const KEYS: Array<[string, RoomOwner, string]> = [
    ['a space keeps the key of its synthetic platform', space, 'lc-c96263b3e517438490046fc0c5cc6739'],
    ['an LTI placement keeps its key', lti, 'lc-99156bc277a84f5c64eac5d7e954fd98'],
  ];
  for (const [name, owner, key] of KEYS) it(name, () => assert.equal(roomKeyOf(owner), key));

  it("keeps a space user's identity (the user_id integrators were given)", () => {
    assert.equal(identityIn(space, 'ada'), 'u-1f961aa450a023651fd36b8c');
    assert.equal(identityIn({ kind: 'space', apiKeyId: 'key_1' }, 'ada'), identityIn(space, 'ada'));
  });

  const LAUNCHES: Array<[string, Parameters<typeof ownerOfLaunch>[0], RoomOwner]> = [
    [
      "a space join link's launch opens the space's room",
      { platformId: 'space:key_1', deploymentId: 'space', resourceLinkId: 'algebra' },
      space,
    ],
    [
      'an LTI launch opens its placement',
      { platformId: 'https://lms.example', deploymentId: 'dep-1', contextId: 'course-7', resourceLinkId: 'link-3' },
      lti,
    ],
    [
      'an LTI launch without a context has none',
      { platformId: 'p', deploymentId: 'd', resourceLinkId: 'r' },
      { kind: 'lti', platformId: 'p', deploymentId: 'd', resourceLinkId: 'r' },
    ],
  ];
  for (const [name, scope, owner] of LAUNCHES) it(name, () => assert.deepEqual(ownerOfLaunch(scope), owner));

  const REFS: Array<[string, OwnerRef]> = [
    ['space:key_1', { kind: 'space', apiKeyId: 'key_1' }],
    ['https://lms.example', { kind: 'lti', platformId: 'https://lms.example' }],
  ];
  for (const [namespace, ref] of REFS) {
    it(`reads the namespace ${namespace} both ways`, () => {
      assert.deepEqual(ownerRefOf(namespace), ref);
      assert.equal(namespaceOf(ref), namespace);
    });
  }
});
