import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/log.js';
import type { Database } from '../../src/db/connection.js';
import { createPlatformService } from '../../src/db/platform-store.js';
import { createRosterStore } from '../../src/db/roster-store.js';
import { createSessionStore } from '../../src/db/launch-session-store.js';
import { membershipRequestsServed } from '../../src/dev/demo-nrps.js';
import { DEMO_COURSE } from '../../src/dev/demo-roster.js';
import type { LaunchSession } from '../../src/lti/launch-session-store.js';
import { setupLtiProvider, type LtiProvider } from '../../src/lti/provider.js';
import { createRosterService, type RosterService } from '../../src/lti/roster.js';
import type { CourseMember, RosterStore } from '../../src/lti/roster-store.js';
import { launchThroughDemo, LtiBrowser } from '../support/lti-launch.js';
import { openTestDatabase, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/** The demo course has 25 members served 10 per page: a full read is three membership requests. */
const PAGES = 3;

describe('course roster through NRPS', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let db: Database;
  let lti: LtiProvider;
  let store: RosterStore;
  let roster: RosterService;
  let sessions: ReturnType<typeof createSessionStore>;

  const launch = async (query: Parameters<typeof launchThroughDemo>[1]): Promise<LaunchSession> => {
    const result = await launchThroughDemo(new LtiBrowser(env.tool.url), query);
    assert.equal(result.status, 303, result.body);
    const session = await sessions.authenticate(result.token as string);
    assert.ok(session);
    return session;
  };
  /** Membership requests the demo LMS served while `run` ran. */
  const requestsDuring = async <T>(run: () => Promise<T>): Promise<{ value: T; requests: number }> => {
    const before = membershipRequestsServed();
    const value = await run();
    return { value, requests: membershipRequestsServed() - before };
  };

  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
    // The same (process-wide) ltijs provider the tool uses: it signs the client-credentials assertion.
    lti = await setupLtiProvider({
      encryptionKey: env.config.lti.encryptionKey,
      mongoUri: env.stack.mongoUri,
      logger: createLogger('silent'),
    });
    store = createRosterStore(db.connection);
    sessions = createSessionStore(db.connection);
    roster = createRosterService({
      lti,
      platforms: createPlatformService(db.connection, lti),
      store,
      launches: sessions,
      cacheMs: env.config.lti.rosterCacheMinutes * 60_000,
      logger: createLogger('silent'),
    });
  });
  after(async () => {
    // Our handle only: ltijs stays open for the tool until it stops too.
    await lti?.close();
    await db?.close();
  });

  it('returns every member across all pages, with mapped roles, then the cached copy without asking the LMS', async () => {
    const session = await launch({ role: 'instructor' });
    const first = await requestsDuring(() => roster.getRoster(session, { refresh: true }));
    assert.equal(first.requests, PAGES, 'all three pages are read');
    const { members } = first.value;
    assert.equal(first.value.source, 'nrps');
    assert.equal(members.length, 25);
    assert.equal(new Set(members.map((m) => m.userId)).size, 25);
    const count = (role: string) => members.filter((m) => m.role === role).length;
    assert.equal(count('instructor'), 2, 'the instructor and the teaching assistant lead');
    assert.equal(count('observer'), 1, 'the mentor observes');
    assert.equal(count('participant'), 22);
    assert.ok(members.every((m) => m.name && m.active));

    const second = await requestsDuring(() => roster.getRoster(session));
    assert.equal(second.requests, 0, 'a fresh cache answers without the LMS');
    assert.equal(second.value.source, 'nrps');
    assert.equal(second.value.fetchedAt.getTime(), first.value.fetchedAt.getTime());
    assert.deepEqual(second.value.members, members);
  });

  it('refetches when asked, and when the cached roster is older than the configured minutes', async () => {
    const session = await launch({ role: 'instructor' });
    const refreshed = await requestsDuring(() => roster.getRoster(session, { refresh: true }));
    assert.equal(refreshed.requests, PAGES);

    const cacheMs = env.config.lti.rosterCacheMinutes * 60_000;
    const cached = await store.get(session.platformId, DEMO_COURSE.id);
    assert.ok(cached);
    const stale = new Date(Date.now() - cacheMs - 1000);
    await store.put({ ...cached, fetchedAt: stale, members: cached.members.slice(0, 1) });
    const afterStale = await requestsDuring(() => roster.getRoster(session));
    assert.equal(afterStale.requests, PAGES, 'a stale roster is fetched again');
    assert.equal(afterStale.value.members.length, 25);
    assert.ok(afterStale.value.fetchedAt.getTime() > stale.getTime() + cacheMs);

    const almostStale = new Date(Date.now() - cacheMs + 30_000);
    await store.put({ ...cached, fetchedAt: almostStale, members: cached.members.slice(0, 1) });
    const stillFresh = await requestsDuring(() => roster.getRoster(session));
    assert.equal(stillFresh.requests, 0, 'younger than the cache time: reused');
    assert.equal(stillFresh.value.members.length, 1);
    await roster.getRoster(session, { refresh: true });
  });

  it('answers racing refreshes, here and in a second process, with the LMS roster, walking it once per process', async () => {
    const session = await launch({ role: 'instructor' });
    // No stored LMS token: the racing first calls of both processes all ask the LMS for one.
    await db.connection.collection('accesstokens').deleteMany({});
    const second = createRosterService({
      lti,
      platforms: createPlatformService(db.connection, lti),
      store,
      launches: sessions,
      cacheMs: 0,
      logger: createLogger('silent'),
    });
    const raced = await requestsDuring(() =>
      Promise.all([
        ...[1, 2, 3].map(() => roster.getRoster(session, { refresh: true })),
        second.getRoster(session, { refresh: true }),
      ]),
    );
    assert.deepEqual(
      raced.value.map((r) => [r.source, r.members.length]),
      Array.from({ length: 4 }, () => ['nrps', 25]),
    );
    assert.equal(raced.requests, 2 * PAGES, 'one walk of the pages per process');
  });

  it('falls back to who launched into the course when the launch offers no NRPS', async () => {
    const userId = `roster-no-nrps-${randomBytes(4).toString('hex')}`;
    const session = await launch({ role: 'student', user: userId, nrps: 'off' });
    assert.equal(session.services.membershipsUrl, undefined, 'the demo LMS left the NRPS claim out');
    await launch({ role: 'student', user: userId, nrps: 'off' });

    const { value, requests } = await requestsDuring(() => roster.getRoster(session));
    assert.equal(requests, 0);
    assert.equal(value.source, 'launches');
    assert.equal(new Set(value.members.map((m) => m.userId)).size, value.members.length, 'one entry per person');
    const me = value.members.filter((m) => m.userId === userId);
    assert.deepEqual(me, [{ userId, name: `Demo ${userId}`, role: 'participant', active: true }]);
    assert.ok(
      value.members.some((m) => m.userId === 'demo-instructor-1' && m.role === 'instructor'),
      'the teacher launched into the course too',
    );
  });

  it('falls back to the launches when NRPS answers an error', async () => {
    const session = await launch({ role: 'instructor' });
    const url = session.services.membershipsUrl;
    assert.ok(url);
    const broken: LaunchSession = {
      ...session,
      services: { ...session.services, membershipsUrl: url.replace(DEMO_COURSE.id, 'no-such-course') },
    };
    const { value, requests } = await requestsDuring(() => roster.getRoster(broken, { refresh: true }));
    assert.ok(requests >= 1, 'the LMS was asked');
    assert.equal(value.source, 'launches');
    assert.ok(value.members.some((m) => m.userId === 'demo-instructor-1'));
  });

  it('stores and reads back a course of 2,000 members in one document', async () => {
    const roles = ['participant', 'instructor', 'observer'] as const;
    const members: CourseMember[] = Array.from({ length: 2000 }, (_, i) => ({
      userId: `user-${i}-${randomBytes(8).toString('hex')}`,
      name: `Learner Number ${i} With A Longer Family Name`,
      role: roles[i % 3] as CourseMember['role'],
      active: i % 50 !== 0,
    }));
    const course = { platformId: 'roster-test-platform', contextId: `large-${randomBytes(4).toString('hex')}` };
    const fetchedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    await store.put({ ...course, fetchedAt, members });
    const read = await store.get(course.platformId, course.contextId);
    assert.ok(read);
    assert.equal(read.fetchedAt.getTime(), fetchedAt.getTime());
    assert.deepEqual(read.members, members);
    // A second write replaces the first (last writer wins), it does not merge.
    await store.put({ ...course, fetchedAt, members: members.slice(0, 10) });
    assert.equal((await store.get(course.platformId, course.contextId))?.members.length, 10);
    assert.equal(await store.get(course.platformId, 'no-such-context'), undefined);
  });
});
