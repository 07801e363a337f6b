import assert from 'node:assert/strict';
import type { AttendanceSessionsResponse, GradesResponse, PostGradesResponse } from '../../src/http/contract.js';
import { LaunchedUser, useSfuFixture, waitUntil } from '../support/room-client.js';

interface DemoScore {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  comment?: string;
  activityProgress: string;
  gradingProgress: string;
  timestamp: string;
}
interface DemoLineItem {
  id: string;
  label: string;
  tag?: string;
  resourceLinkId?: string;
  scoreMaximum: number;
  scores: DemoScore[];
}

/**
 * Attendance grades posted over the demo LMS's real AGS (client-credentials tokens, line items, scores)
 * after a class of real participants on the real SFU.
 */
describe('attendance grades over AGS', function () {
  this.timeout(120_000);
  const fixture = useSfuFixture('grd');
  const { launch, connect } = fixture;
  const learner = (n: number) => `demo-student-${String(n).padStart(2, '0')}`;
  const gradebook = async (): Promise<DemoLineItem[]> =>
    ((await (await fetch(`${fixture.env.tool.url}/demo/gradebook.json`)).json()) as { lineItems: DemoLineItem[] })
      .lineItems;
  const lineItemTitled = async (title: string) => (await gradebook()).find((i) => i.label === `${title} — attendance`);

  /** A class of the teacher and learners 1..n, ended by the teacher; resolves when its attendance is final. */
  const runClass = async (title: string, grading: Record<string, unknown>, learners: number[]) => {
    const id = await LaunchedUser.createActivity(fixture.env.tool.url, {
      title,
      grading: { enabled: true, ...grading },
    });
    const teacher = await launch('instructor', id);
    await connect(teacher);
    for (const n of learners) await connect(await launch('student', id, learner(n)));
    // Webhook times are whole seconds: a class of a few seconds, so that present learners have time.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const end = await teacher.request('POST', '/room/end');
    assert.equal(end.status, 204, await end.text());
    await waitUntil(
      async () =>
        (await teacher.json<AttendanceSessionsResponse>('GET', '/attendance/sessions')).sessions[0]?.final === true,
      20_000,
      'the session final',
    );
    return { id, teacher };
  };

  it('posts every roster learner once after class (absentees 0), with the full score body and a comment', async () => {
    const title = `Graded ${process.pid}-${Date.now()}`;
    await runClass(title, { policy: 'attended', maxPoints: 10, autoPost: true }, [1, 2, 3]);
    let item: DemoLineItem | undefined;
    await waitUntil(
      async () => {
        item = await lineItemTitled(title);
        return (item?.scores.length ?? 0) >= 22;
      },
      30_000,
      () => `22 scores in the gradebook (${item?.scores.length ?? 'no line item'})`,
    );
    const scores = new Map(item!.scores.map((s) => [s.userId, s]));
    assert.equal(scores.size, 22, 'one score per learner, none for the teacher or the mentor');
    for (const n of [1, 2, 3]) {
      const s = scores.get(learner(n))!;
      assert.equal(s.scoreGiven, 10, learner(n));
      assert.equal(s.scoreMaximum, 10);
      assert.equal(s.activityProgress, 'Completed');
      assert.equal(s.gradingProgress, 'FullyGraded');
      assert.match(s.comment ?? '', /^Attended \d+ of \d+ minutes? \(\d+ %\)/);
    }
    assert.equal(scores.get(learner(4))?.scoreGiven, 0, 'absent: 0');
    assert.ok(!scores.has('demo-instructor-1'));
    // One line item for the class: the deep-linked one, never a second made by the tool.
    assert.equal((await gradebook()).filter((i) => i.label.startsWith(title)).length, 1);
  });

  it('previews before posting, posts on demand once, and shows each learner posted', async () => {
    const title = `On demand ${process.pid}-${Date.now()}`;
    const { teacher } = await runClass(title, { policy: 'proportional', maxPoints: 20, absent: 'not-graded' }, [5]);
    const preview = await teacher.json<GradesResponse>('GET', '/grades');
    assert.equal(preview.enabled, true);
    assert.equal(preview.canPost, true, JSON.stringify(preview));
    assert.equal(preview.policy.autoPost, false);
    assert.equal(preview.lines.length, 22);
    const mine = preview.lines.find((l) => l.userId === learner(5))!;
    assert.equal(typeof mine.score, 'number');
    assert.equal(mine.sync.state, 'not-posted');
    assert.equal(preview.lines.find((l) => l.userId === learner(6))!.sync.state, 'not-graded');
    assert.equal((await lineItemTitled(title))?.scores.length, 0, 'nothing posted before the teacher asks');

    const posted = await teacher.json<PostGradesResponse>('POST', '/grades/post', {}, 202);
    assert.deepEqual(posted, { queued: 1, unchanged: 0 }, 'only the learner who came has a score');
    await waitUntil(
      async () =>
        (await teacher.json<GradesResponse>('GET', '/grades')).lines.find((l) => l.userId === learner(5))?.sync
          .state === 'posted',
      20_000,
      'the score posted',
    );
    const again = await teacher.json<PostGradesResponse>('POST', '/grades/post', {}, 202);
    assert.deepEqual(again, { queued: 0, unchanged: 1 }, 'the same score is not posted twice');
    const item = await lineItemTitled(title);
    assert.equal(item?.scores.length, 1);
    assert.equal(item?.scores[0]?.scoreMaximum, 20);
  });

  it('refuses learners and bad input with clear codes', async () => {
    const id = await LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Grades input' });
    const teacher = await launch('instructor', id);
    const student = await launch('student', id, learner(7));
    assert.equal((await student.request('GET', '/grades')).status, 403);
    const notEnabled = await teacher.request('POST', '/grades/post', {});
    assert.equal(notEnabled.status, 409);
    assert.equal(((await notEnabled.json()) as { error: { code: string } }).error.code, 'GRADES_NOT_ENABLED');
    const bad = await teacher.request('POST', '/grades/post', { userKeys: ['nope'], extra: 1 });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
  });
});
