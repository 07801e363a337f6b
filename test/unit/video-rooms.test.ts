import assert from 'node:assert/strict';
import type { AppError } from '../../src/errors.js';
import type { ApiKey } from '../../src/integrations/api-keys.js';
import { createRoomTokens, REFRESH_TTL_MS } from '../../src/integrations/room-tokens.js';
import type { SpaceService } from '../../src/integrations/space-service.js';
import type { Space, SpacePatch } from '../../src/integrations/space-store.js';
import { bulkActionsOf, createVideoRooms } from '../../src/integrations/video-rooms.js';
import { defaultSettings } from '../../src/rooms/activity-settings.js';
import { namespaceOf } from '../../src/rooms/room-owner.js';
import { MemoryActivityStore } from '../support/fakes/activity-store.js';
import { MemoryVideoRoomStore } from '../support/fakes/video-room-store.js';

const key: ApiKey = { id: 'key_a', name: 'School', createdAt: new Date(0) };
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: AppError) => err.code,
  );

/** One space of `key`, its activities, and the services over them (spaces, controls and audit as fakes). */
async function world() {
  let clock = Date.parse('2026-01-01T09:00:00Z');
  const now = () => new Date(clock);
  const activities = new MemoryActivityStore();
  const first = await activities.create({
    platformId: namespaceOf({ kind: 'space', apiKeyId: key.id }),
    deploymentId: 'space',
    settings: { ...defaultSettings('Start'), maxParticipants: 10 },
    createdBy: 'test',
  });
  let space: Space = {
    id: 'spc_1',
    apiKeyId: key.id,
    spaceId: 'algebra',
    roomKey: 'lc-algebra',
    activityId: first.id,
    webhooks: {},
    createdAt: now(),
    updatedAt: now(),
  };
  const store = new MemoryVideoRoomStore();
  const audit: string[] = [];
  const links: Array<{ ttlMs?: number; user?: { id: string } }> = [];
  const spaces = {
    roomStatus: async () => ({ space }),
    joinLink: async (_k: ApiKey, _s: Space, user: { id: string }, ttlMs?: number) => {
      links.push({ ttlMs, user });
      return {
        joinUrl: `https://tool.example/space/join?t=${'T'.repeat(42)}${links.length % 10}`,
        roomKey: space.roomKey,
        identity: `u-${user.id}`,
        apiBase: 'https://tool.example/api/v1',
        expiresAt: new Date(clock + (ttlMs ?? 0)),
      };
    },
  } as unknown as SpaceService;
  const spaceStore = {
    find: async () => space,
    get: async () => space,
    findByRoomKeys: async (apiKeyId: string, keys: string[]) =>
      apiKeyId === space.apiKeyId && keys.includes(space.roomKey) ? [space] : [],
    listByKey: async () => [space],
    update: async (_id: string, patch: SpacePatch) => (space = { ...space, ...patch }),
  };
  const rooms = createVideoRooms({
    spaces,
    spaceStore,
    store,
    activities,
    controls: { room: async () => undefined, bulk: async () => [] },
    audit: { append: async (e) => void audit.push(e.action) },
    now,
  });
  const tokens = createRoomTokens({ spaces, spaceStore, store, defaultTtlSeconds: 3600, now });
  return { rooms, tokens, store, audit, links, space: () => space, tick: (ms: number) => (clock += ms) };
}

describe('video rooms (fakes)', () => {
  it('applies a change over a rival version stored meanwhile, keeping both', async () => {
    const w = await world();
    let rivals = 1;
    w.store.beforeAddVersion = async (v) => {
      if (rivals-- <= 0) return;
      // A concurrent change of another field wins version v first.
      const other = await w.rooms.update(key, 'lc-algebra', { max_participants: 40 });
      assert.equal(other.version, v.version);
    };
    const mine = await w.rooms.update(key, 'lc-algebra', { title: 'Mine' });
    assert.equal(mine.version, 3);
    assert.deepEqual([mine.title, mine.max_participants], ['Mine', 40]);
    const read = await w.rooms.get(key, 'lc-algebra');
    assert.deepEqual([read.version, read.title, read.max_participants], [3, 'Mine', 40]);
    assert.equal(w.space().activityId, (await w.store.latestVersion('spc_1'))?.activityId, 'joins read the latest');
    assert.deepEqual(w.audit, ['room-update:v2', 'room-update:v3']);
  });

  it('answers VIDEO_ROOM_BUSY after losing every try, and refuses changes of a deleted room', async () => {
    const w = await world();
    w.store.beforeAddVersion = (v) => {
      w.store.versions.set(`${v.spaceRef}:${v.version}`, { ...v, activityId: w.space().activityId });
    };
    assert.equal(await codeOf(w.rooms.update(key, 'lc-algebra', { title: 'Never' })), 'VIDEO_ROOM_BUSY');
    w.store.beforeAddVersion = undefined;
    await w.rooms.remove(key, 'lc-algebra');
    await w.rooms.remove(key, 'lc-algebra');
    assert.deepEqual(w.audit, ['room-delete'], 'deleted once');
    assert.equal(await codeOf(w.rooms.update(key, 'lc-algebra', { title: 'Late' })), 'VIDEO_ROOM_DELETED');
    assert.equal((await w.rooms.get(key, 'lc-algebra')).status, 'deleted');
    assert.equal(await codeOf(w.rooms.get({ ...key, id: 'key_b' }, 'lc-algebra')), 'SPACE_ROOM_NOT_FOUND');
  });

  it('removing the webhook URL keeps the other webhooks of the space', async () => {
    const w = await world();
    await w.rooms.update(key, 'lc-algebra', { webhook_url: 'https://hooks.example/a' });
    assert.equal(w.space().webhooks?.url, 'https://hooks.example/a');
    const changed = await w.rooms.update(key, 'lc-algebra', { webhook_url: null });
    assert.equal(changed.webhook_url, null);
    assert.deepEqual(w.space().webhooks, {});
  });

  it('refreshes a token once, not after it expires, not for another key', async () => {
    const w = await world();
    const space = w.space();
    const first = await w.tokens.create(key, space, {
      user: { id: 'bo', name: 'Bo', role: 'participant' },
      ttl_seconds: 120,
    });
    assert.equal(w.links[0]?.ttlMs, 120_000);
    assert.equal(first.user_id, 'u-bo');
    assert.equal(await codeOf(w.tokens.refresh({ ...key, id: 'key_b' }, first.refresh_token)), 'VIDEO_REFRESH_INVALID');
    const results = await Promise.allSettled([
      w.tokens.refresh(key, first.refresh_token),
      w.tokens.refresh(key, first.refresh_token),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.equal(w.links[1]?.ttlMs, 120_000, 'the refreshed token keeps its TTL');
    const second = results.find((r) => r.status === 'fulfilled')?.value.token;
    assert.ok(second);
    w.tick(REFRESH_TTL_MS + 1);
    assert.equal(await codeOf(w.tokens.refresh(key, second.refresh_token)), 'VIDEO_REFRESH_INVALID');
    assert.equal(await codeOf(w.tokens.refresh(key, 'rt_short')), 'VIDEO_REFRESH_INVALID');
  });

  it("a session's mute, unmute and kick are the leader's bulk actions, per kind", () => {
    assert.deepEqual(bulkActionsOf('mute', ['audio', 'video']), ['mute-all', 'mute-all-video']);
    assert.deepEqual(bulkActionsOf('mute', ['video', 'video']), ['mute-all-video']);
    assert.deepEqual(bulkActionsOf('unmute', ['audio']), ['allow-all-audio']);
    assert.deepEqual(bulkActionsOf('unmute', ['video']), ['allow-all-video']);
    assert.deepEqual(bulkActionsOf('kick', ['audio']), ['remove-all']);
  });
});
