/**
 * `npm run bench`: grade posting throughput against the demo LMS's AGS, side by side in one run:
 *   - bare: scores POSTed straight to the AGS score endpoint with one access token, `CONCURRENCY` at a time
 *     (what posting costs the LMS alone);
 *   - ours: the same number of scores through grade jobs (stored, claimed by lease, posted, outcome stored)
 *     by a worker of the same concurrency.
 * The ratio ours/bare is the cost of never losing or doubling a grade. Bounded: fixed counts, loopback only.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGradeSync } from '../src/attendance/grade-sync.js';
import { targetOfLaunch } from '../src/attendance/grade-target.js';
import { createGradeJobStore } from '../src/db/grade-job-store.js';
import { createGradeTargetStore } from '../src/db/grade-target-store.js';
import { createLineItemStore } from '../src/db/line-item-store.js';
import { createPlatformService } from '../src/db/platform-store.js';
import { createSessionStore } from '../src/db/launch-session-store.js';
import { DEMO_COURSE, ROSTER } from '../src/dev/demo-roster.js';
import { createAgsClient } from '../src/lti/ags.js';
import { setupLtiProvider } from '../src/lti/provider.js';
import { createLogger } from '../src/log.js';
import { projectRoot } from '../src/paths.js';
import { roomKeyFor } from '../src/rooms/room-keys.js';
import { LaunchedUser } from '../test/support/room-client.js';
import { openTestDatabase, stopTestEnvironment, useTestEnvironment } from '../test/support/test-tool.js';

const ROUNDS = 15;
const CONCURRENCY = 4;
const LEARNERS = ROSTER.filter((u) => u.role === 'student').map((u) => u.userId);

async function main(): Promise<void> {
  // The tool's own worker looks for jobs rarely, so the measured instance posts them all.
  const env = await useTestEnvironment({ GRADE_POLL_SECONDS: '3600' });
  const db = await openTestDatabase(env);
  const lti = await setupLtiProvider({
    encryptionKey: env.config.lti.encryptionKey,
    mongoUri: env.stack.mongoUri,
    logger: createLogger('silent'),
  });
  try {
    const id = await LaunchedUser.createActivity(env.tool.url, { title: 'Bench grades', grading: { enabled: true } });
    const teacher = await LaunchedUser.launch(env.tool.url, 'instructor', id);
    const session = await createSessionStore(db.connection).authenticate(teacher.token);
    if (!session?.activityId || !session.context || !session.resourceLink) throw new Error('no launch session');
    const target = targetOfLaunch(session, {
      roomKey: roomKeyFor({
        platformId: session.platformId,
        deploymentId: session.deploymentId,
        contextId: session.context.id,
        resourceLinkId: session.resourceLink.id,
      }),
      activityId: session.activityId,
      settings: { title: 'Bench grades', grading: { maxPoints: 10 } },
    });
    if (!target?.lineItemUrl) throw new Error('no line item');
    const platforms = createPlatformService(db.connection, lti);
    const ags = createAgsClient({ lti, platforms });
    const count = ROUNDS * LEARNERS.length;

    // Bare: the AGS client's own POST (token cached after the first), no store.
    const bareStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) {
          const i = next++;
          const answer = await ags.postScore(target, target.lineItemUrl as string, {
            userId: LEARNERS[i % LEARNERS.length] as string,
            scoreGiven: i % 10,
            scoreMaximum: 10,
            comment: `bare ${i}`,
            activityProgress: 'Completed',
            gradingProgress: 'FullyGraded',
          });
          if (answer.status !== 200) throw new Error(`bare post ${answer.status ?? 'failed'}`);
        }
      }),
    );
    const bareSeconds = (performance.now() - bareStarted) / 1000;

    const sync = createGradeSync({
      targets: createGradeTargetStore(db.connection),
      jobs: createGradeJobStore(db.connection),
      lineItemRefs: createLineItemStore(db.connection),
      ags,
      tuning: { retryDelaysMs: [1000], maxAttempts: 3, concurrency: CONCURRENCY, pollMs: 3_600_000 },
      logger: createLogger('silent'),
    });
    const oursStarted = performance.now();
    let posted = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const scores = LEARNERS.map((userId, i) => ({
        userId,
        scoreGiven: (round + i) % 10,
        scoreMaximum: 10,
        comment: `round ${round}`,
      }));
      const { queued } = await sync.queue(target, scores, { unreleased: false });
      if (queued !== LEARNERS.length) throw new Error(`queued ${queued}`);
      posted += await sync.drain();
    }
    // A job another process held when the drain ended is posted by it: done when every learner is posted.
    let states = await sync.states(target, LEARNERS);
    while ([...states.values()].some((s) => s.state === 'pending' || s.state === 'retrying')) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await sync.drain();
      states = await sync.states(target, LEARNERS);
    }
    const oursSeconds = (performance.now() - oursStarted) / 1000;
    const notPosted = [...states.values()].filter((s) => s.state !== 'posted').length;
    if (notPosted > 0)
      throw new Error(`not posted: ${JSON.stringify([...states].filter(([, s]) => s.state !== 'posted'))}`);

    const result = {
      benchmark: 'grade-posting',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      store: env.stack.postgres ? `FerretDB v1.24.2 (PostgreSQL ${env.stack.postgres.version})` : 'MongoDB',
      course: DEMO_COURSE.id,
      scores: count,
      concurrency: CONCURRENCY,
      bare: { seconds: Number(bareSeconds.toFixed(2)), perSecond: Math.round(count / bareSeconds) },
      ours: { seconds: Number(oursSeconds.toFixed(2)), perSecond: Math.round(count / oursSeconds), jobsRun: posted },
      ratio: Number((bareSeconds / oursSeconds).toFixed(2)),
    };
    writeFileSync(
      path.join(projectRoot(), 'bench', 'results', 'grade-posting.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await lti.close();
    await db.close();
    await stopTestEnvironment();
  }
}

void main();
