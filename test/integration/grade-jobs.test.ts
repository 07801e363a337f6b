import assert from 'node:assert/strict';
import { createGradeSync, type GradeSyncService } from '../../src/attendance/grade-sync.js';
import { targetOfLaunch, type GradeTarget } from '../../src/attendance/grade-target.js';
import type { GradeJob } from '../../src/attendance/grade-jobs.js';
import type { Database } from '../../src/db/connection.js';
import { createGradeJobStore } from '../../src/db/grade-job-store.js';
import { createGradeTargetStore } from '../../src/db/grade-target-store.js';
import { createLineItemStore } from '../../src/db/line-item-store.js';
import { createPlatformService } from '../../src/db/platform-store.js';
import { createSessionStore } from '../../src/db/launch-session-store.js';
import { createAgsClient } from '../../src/lti/ags.js';
import { setupLtiProvider, type LtiProvider } from '../../src/lti/provider.js';
import { createLogger } from '../../src/log.js';
import { roomKeyFor } from '../../src/rooms/room-keys.js';
import { LaunchedUser } from '../support/room-client.js';
import { openTestDatabase, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

interface Stats {
  received: number;
  accepted: number;
  refused: number;
  failed: number;
  acceptedBy: Record<string, Record<string, number>>;
}

/**
 * Grade jobs against the demo LMS's real AGS (tokens, line items, scores) and the real store, with the
 * demo told to fail, refuse or drop. Two GradeSync instances stand for two tool processes; the tool's own
 * worker runs too, so every job here may be posted by any of three workers: each must post it once.
 */
describe('grade jobs against a strict LMS', function () {
  this.timeout(90_000);
  let env: TestEnvironment;
  const dbs: Database[] = [];
  let lti: LtiProvider;
  const syncs: GradeSyncService[] = [];
  let sessions: ReturnType<typeof createSessionStore>;
  const learner = (n: number) => `demo-student-${String(n).padStart(2, '0')}`;

  const demo = (path: string, init?: RequestInit) => fetch(`${env.tool.url}/demo/platform${path}`, init);
  const faults = async (body: Record<string, unknown>) => {
    const res = await demo('/ags/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 204, await res.text());
  };
  const stats = async (): Promise<Stats> => (await (await demo('/ags/stats')).json()) as Stats;

  /** A tool process's grade passback: its own connection, stores, AGS client and worker. */
  const instance = async (): Promise<GradeSyncService> => {
    const db = await openTestDatabase(env);
    dbs.push(db);
    const sync = createGradeSync({
      targets: createGradeTargetStore(db.connection),
      jobs: createGradeJobStore(db.connection),
      lineItemRefs: createLineItemStore(db.connection),
      ags: createAgsClient({ lti, platforms: createPlatformService(db.connection, lti) }),
      tuning: { retryDelaysMs: [100, 200, 400], maxAttempts: 4, concurrency: 4, pollMs: 100 },
      logger: createLogger('silent'),
    });
    syncs.push(sync);
    return sync;
  };

  /** A graded class of its own (a fresh line item), as its teacher's launch says where grades go. */
  const gradedClass = async (title: string): Promise<GradeTarget> => {
    const id = await LaunchedUser.createActivity(env.tool.url, {
      title,
      grading: { enabled: true, maxPoints: 10 },
    });
    const teacher = await LaunchedUser.launch(env.tool.url, 'instructor', id);
    const session = await sessions.authenticate(teacher.token);
    assert.ok(session?.activityId && session.context && session.resourceLink);
    const roomKey = roomKeyFor({
      platformId: session.platformId,
      deploymentId: session.deploymentId,
      contextId: session.context.id,
      resourceLinkId: session.resourceLink.id,
    });
    const target = targetOfLaunch(session, {
      roomKey,
      activityId: session.activityId,
      settings: { title, grading: { maxPoints: 10 } },
    });
    assert.ok(target?.lineItemUrl, 'the deep-linked line item comes with the launch');
    return target;
  };
  const score = (n: number, scoreGiven = 10) => ({
    userId: learner(n),
    scoreGiven,
    scoreMaximum: 10,
    comment: `Attended ${scoreGiven * 6} of 60 minutes`,
  });
  const lineItemId = (t: GradeTarget) => (t.lineItemUrl as string).split('/').pop() as string;
  const until = async (sync: GradeSyncService, t: GradeTarget, users: string[], done: (s: string) => boolean) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await sync.states(t, users);
      if (users.every((u) => done(states.get(u)?.state ?? 'not-posted'))) return states;
      if (Date.now() > deadline) throw new Error(`grade states: ${JSON.stringify([...states])}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const finished = (s: string) => ['posted', 'applied', 'refused'].includes(s);

  before(async () => {
    env = await useTestEnvironment();
    dbs.push(await openTestDatabase(env));
    sessions = createSessionStore(dbs[0]!.connection);
    lti = await setupLtiProvider({
      encryptionKey: env.config.lti.encryptionKey,
      mongoUri: env.stack.mongoUri,
      logger: createLogger('silent'),
    });
  });
  afterEach(async () => {
    await demo('/ags/faults', { method: 'DELETE' });
  });
  after(async () => {
    for (const s of syncs) await s.stop();
    await lti?.close();
    for (const db of dbs) await db.close();
  });

  it('posts once after the LMS answered 500 twice, each score once across two instances', async () => {
    const [a, b] = [await instance(), await instance()];
    const target = await gradedClass(`Retry ${Date.now()}`);
    await faults({ fail: { count: 2, status: 500 } });
    const users = [1, 2, 3].map(learner);
    // Both instances queue the same scores (two teachers pressing "Post" in two processes): queued once.
    const [qa, qb] = await Promise.all([
      a.queue(
        target,
        [1, 2, 3].map((n) => score(n)),
        { unreleased: false },
      ),
      b.queue(
        target,
        [1, 2, 3].map((n) => score(n)),
        { unreleased: false },
      ),
    ]);
    assert.equal(qa.queued + qb.queued, 3, JSON.stringify({ qa, qb }));
    a.start();
    b.start();
    const states = await until(a, target, users, (s) => s === 'posted');
    const counted = (await stats()).acceptedBy[lineItemId(target)] ?? {};
    assert.deepEqual(
      users.map((u) => counted[u]),
      [1, 1, 1],
      'each score accepted exactly once',
    );
    assert.ok(
      [...states.values()].some((s) => (s.attempts ?? 0) > 1),
      'a retried score shows its attempts',
    );
  });

  it('reports the user the LMS refuses with its reason and posts the others', async () => {
    const sync = await instance();
    sync.start();
    const target = await gradedClass(`Refused ${Date.now()}`);
    const teacherId = 'demo-instructor-1';
    await sync.queue(target, [score(4), { ...score(5), userId: teacherId }], { unreleased: false });
    const states = await until(sync, target, [learner(4), teacherId], finished);
    assert.equal(states.get(learner(4))?.state, 'posted');
    assert.equal(states.get(teacherId)?.state, 'refused');
    assert.match(states.get(teacherId)?.reason ?? '', /^HTTP 422: User not found in course or is not a student/);

    // Moodle's way of saying it.
    await faults({ style: 'moodle' });
    await sync.queue(target, [{ ...score(6), userId: 'demo-mentor-1' }], { unreleased: false });
    const moodle = await until(sync, target, ['demo-mentor-1'], finished);
    assert.match(moodle.get('demo-mentor-1')?.reason ?? '', /^HTTP 400: Incorrect score received/);
  });

  it('treats a stale timestamp as already applied (Moodle 409 and Canvas 400)', async () => {
    const sync = await instance();
    sync.start();
    const target = await gradedClass(`Stale ${Date.now()}`);
    // The LMS already holds scores stamped an hour ahead (a process whose clock ran fast), so the timestamp
    // of whichever worker posts next is older than the stored one, as the three workers here all may.
    const db = dbs[0]!.connection;
    const ahead = createAgsClient({
      lti,
      platforms: createPlatformService(db, lti),
      now: () => new Date(Date.now() + 3_600_000),
    });
    for (const n of [7, 8]) {
      const lms = { ...score(n, 10), activityProgress: 'Completed', gradingProgress: 'FullyGraded' } as const;
      const answer = await ahead.postScore(target, target.lineItemUrl as string, lms);
      assert.ok(answer.status !== undefined && answer.status < 300, `score ${n} stored ahead: HTTP ${answer.status}`);
    }
    await sync.queue(target, [score(7, 5)], { unreleased: false });
    const moodle = await until(sync, target, [learner(7)], finished);
    assert.equal(moodle.get(learner(7))?.state, 'applied');
    await faults({ staleStyle: 'canvas' });
    await sync.queue(target, [score(8, 5)], { unreleased: false });
    const canvas = await until(sync, target, [learner(8)], finished);
    assert.equal(canvas.get(learner(8))?.state, 'applied');
    assert.match(canvas.get(learner(8))?.reason ?? '', /timestamp/);
  });

  it('resumes a job whose worker died holding it, once its lease ran out', async () => {
    const target = await gradedClass(`Resume ${Date.now()}`);
    const store = createGradeJobStore(dbs[0]!.connection);
    const sync = await instance();
    await sync.queue(target, [score(9)], { unreleased: false });
    // A worker claims the job and dies before posting: its lease holds the job for a moment only.
    let claimed: GradeJob | undefined;
    const deadline = Date.now() + 5_000;
    while (!claimed && Date.now() < deadline) {
      claimed = await store.claimDue(new Date(), new Date(Date.now() + 1_500), 'dead-worker');
      if (claimed && claimed.userId !== learner(9)) claimed = undefined;
    }
    if (claimed) {
      const held = await sync.states(target, [learner(9)]);
      assert.equal(held.get(learner(9))?.state, 'pending');
    }
    sync.start();
    const states = await until(sync, target, [learner(9)], (s) => s === 'posted');
    assert.equal(states.get(learner(9))?.state, 'posted');
    assert.equal((await stats()).acceptedBy[lineItemId(target)]?.[learner(9)], 1);
  });

  it('retries through dropped connections and a throttle with Retry-After, then gives up with the reason', async () => {
    const sync = await instance();
    sync.start();
    const target = await gradedClass(`Faults ${Date.now()}`);
    await faults({ drop: 1, fail: { count: 1, status: 403 } });
    await sync.queue(target, [score(10)], { unreleased: false });
    const ok = await until(sync, target, [learner(10)], finished);
    assert.equal(ok.get(learner(10))?.state, 'posted');

    await faults({ fail: { count: 50, status: 503 } });
    await sync.queue(target, [score(11)], { unreleased: false });
    const gaveUp = await until(sync, target, [learner(11)], finished);
    assert.equal(gaveUp.get(learner(11))?.state, 'refused');
    assert.match(gaveUp.get(learner(11))?.reason ?? '', /^the LMS kept failing: HTTP 503/);
    // The teacher's Retry queues the same score again once the LMS is back.
    await demo('/ags/faults', { method: 'DELETE' });
    assert.deepEqual(await sync.queue(target, [score(11)], { unreleased: false, again: true }), {
      queued: 1,
      unchanged: 0,
    });
    const retried = await until(sync, target, [learner(11)], (s) => s === 'posted');
    assert.equal(retried.get(learner(11))?.state, 'posted');
  });
});
