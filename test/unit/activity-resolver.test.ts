import assert from 'node:assert/strict';
import {
  ACTIVITY_ID_PATTERN,
  defaultActivityId,
  resolveActivity,
  type ActivityLaunch,
} from '../../src/rooms/activity-resolver.js';
import { defaultSettings } from '../../src/rooms/activity-settings.js';
import { roomKeyFor } from '../../src/rooms/room-keys.js';
import { isAppError } from '../../src/errors.js';
import { MemoryActivityStore } from '../support/fakes/activity-store.js';

const COURSE = { platformId: 'p1', deploymentId: 'd1', contextId: 'course-a' };
const launch = (o: Partial<ActivityLaunch> = {}): ActivityLaunch => ({
  ...COURSE,
  resourceLinkId: 'link-1',
  role: 'participant',
  userId: 'u1',
  title: 'Week 3',
  hints: [],
  ...o,
});

async function storeWithActivity(scope: Partial<typeof COURSE> = {}) {
  const store = new MemoryActivityStore();
  const activity = await store.create({
    ...COURSE,
    ...scope,
    settings: defaultSettings('Deep-linked class'),
    createdBy: 'teacher',
  });
  return { store, activity };
}

const notFound = (err: unknown): boolean => isAppError(err) && err.code === 'ACTIVITY_NOT_FOUND';

describe('rooms: resolveActivity (which live class a resource link opens)', () => {
  it('opens the deep-linked activity the custom parameter names, and binds the link to it', async () => {
    const { store, activity } = await storeWithActivity();
    const r = await resolveActivity(launch({ hints: [activity.id] }), store);
    assert.deepEqual(r, { status: 'ready', activity });
    assert.equal(store.links.get(roomKeyFor(launch())), activity.id);
  });

  it("ignores a hint that is not one of our ids (Moodle's tool-level $ResourceLink.id substituted as '1')", async () => {
    const { store, activity } = await storeWithActivity();
    // The launch URL we wrote on the link still names the activity.
    const r = await resolveActivity(launch({ hints: ['1', activity.id] }), store);
    assert.equal(r.status === 'ready' && r.activity.id, activity.id);
  });

  it('finds the bound activity when a later launch carries no usable hint', async () => {
    const { store, activity } = await storeWithActivity();
    await resolveActivity(launch({ hints: [activity.id] }), store);
    const r = await resolveActivity(launch({ hints: ['2'] }), store);
    assert.equal(r.status === 'ready' && r.activity.id, activity.id);
  });

  it('moves the link when a teacher picks another activity for it', async () => {
    const { store, activity } = await storeWithActivity();
    const other = await store.create({ ...COURSE, settings: defaultSettings('Other'), createdBy: 'teacher' });
    await resolveActivity(launch({ hints: [activity.id] }), store);
    await resolveActivity(launch({ hints: [other.id] }), store);
    const r = await resolveActivity(launch(), store);
    assert.equal(r.status === 'ready' && r.activity.id, other.id);
  });

  for (const [what, scope] of [
    ['another course', { contextId: 'course-b' }],
    ['another deployment', { deploymentId: 'd2' }],
    ['another platform', { platformId: 'p2' }],
  ] as const) {
    it(`refuses an activity of ${what} (ACTIVITY_NOT_FOUND), and binds nothing`, async () => {
      const { store, activity } = await storeWithActivity(scope);
      await assert.rejects(resolveActivity(launch({ hints: [activity.id] }), store), notFound);
      assert.equal(store.links.size, 0);
    });
  }

  it('refuses an id of our shape that names no activity', async () => {
    const store = new MemoryActivityStore();
    await assert.rejects(resolveActivity(launch({ hints: ['act_AAAAAAAAAAAAAAAA'] }), store), notFound);
  });

  it('a link nobody configured: learners wait, the first instructor launch creates its default class', async () => {
    const store = new MemoryActivityStore();
    assert.deepEqual(await resolveActivity(launch(), store), { status: 'pending' });
    assert.equal(store.activities.size, 0);
    const teacher = await resolveActivity(launch({ role: 'instructor', userId: 't1' }), store);
    assert.equal(teacher.status, 'ready');
    const created = teacher.status === 'ready' ? teacher.activity : undefined;
    assert.equal(created?.id, defaultActivityId(launch()));
    assert.equal(created?.settings.title, 'Week 3');
    assert.equal(created?.contextId, 'course-a');
    const student = await resolveActivity(launch(), store);
    assert.equal(student.status === 'ready' && student.activity.id, created?.id);
  });

  it('observers wait too; a second instructor finds the same default class', async () => {
    const store = new MemoryActivityStore();
    assert.equal((await resolveActivity(launch({ role: 'observer' }), store)).status, 'pending');
    const a = await resolveActivity(launch({ role: 'instructor' }), store);
    const b = await resolveActivity(launch({ role: 'instructor', userId: 't2' }), store);
    assert.equal(a.status === 'ready' && b.status === 'ready' && a.activity.id === b.activity.id, true);
    assert.equal(store.activities.size, 1);
  });

  it('each link of a course has its own default class; a copied course (new context) gets new ones', () => {
    const ids = new Set([
      defaultActivityId(launch()),
      defaultActivityId(launch({ resourceLinkId: 'link-2' })),
      defaultActivityId(launch({ contextId: 'course-copy' })),
    ]);
    assert.equal(ids.size, 3);
    for (const id of ids) assert.match(id, ACTIVITY_ID_PATTERN);
  });
});
