import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import type { AttendanceSessionsResponse, SessionAttendanceResponse } from '../../src/http/contract.js';
import { CSV_COLUMNS } from '../../src/attendance/attendance-csv.js';
import { erasureSubject } from '../../src/db/user-erasure.js';
import { LaunchedUser, useSfuFixture, waitUntil } from '../support/room-client.js';

/**
 * Attendance from real joins and leaves on the real SFU, against the demo course's NRPS roster (22 learners).
 * Each test runs its own class (a fresh activity), so sessions never mix.
 */
describe('attendance of a class session', function () {
  this.timeout(90_000);
  const fixture = useSfuFixture('att');
  const { launch, connect } = fixture;
  const activity = () => LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Attendance' });
  const learner = (n: number) => `demo-student-${String(n).padStart(2, '0')}`;

  /** Ends the class as the teacher and waits until its attendance is final. */
  const endAndSettle = async (teacher: LaunchedUser): Promise<AttendanceSessionsResponse> => {
    const res = await teacher.request('POST', '/room/end');
    assert.equal(res.status, 204, await res.text());
    let list: AttendanceSessionsResponse | undefined;
    await waitUntil(
      async () => {
        list = await teacher.json<AttendanceSessionsResponse>('GET', '/attendance/sessions');
        return list.sessions[0]?.final === true;
      },
      20_000,
      () => `the session to become final (${JSON.stringify(list?.sessions)})`,
    );
    return list as AttendanceSessionsResponse;
  };

  it('lists every roster learner after class: who came with their times, who did not as absent', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    await connect(teacher);
    const students = await Promise.all([1, 2, 3].map((n) => launch('student', id, learner(n))));
    const connected: Array<Awaited<ReturnType<typeof connect>>> = [];
    for (const s of students) connected.push(await connect(s));
    // The third leaves before the end, after a while: webhook times are whole seconds.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await connected[2]!.p.disconnect();
    await waitUntil(async () => !(await fixture.onSfu(connected[2]!.grant)), 10_000, 'the third student off the SFU');

    const list = await endAndSettle(teacher);
    assert.equal(list.roster.source, 'nrps');
    const session = list.sessions[0]!;
    assert.equal(session.learners, 22);
    assert.equal(session.attended, 3);
    assert.ok(session.endedAt);

    const table = await teacher.json<SessionAttendanceResponse>('GET', `/attendance/sessions/${session.sessionId}`);
    assert.equal(table.learners.length, 22);
    const byUser = new Map(table.learners.map((e) => [e.userId, e]));
    for (const n of [1, 2, 3]) {
      const e = byUser.get(learner(n));
      assert.ok(e && e.status !== 'absent', `${learner(n)} attended: ${JSON.stringify(e)}`);
      assert.equal(e.joins, 1);
      assert.ok(e.firstJoin && e.lastLeave);
      assert.equal(e.onRoster, true);
    }
    assert.equal(byUser.get(learner(4))?.status, 'absent');
    assert.equal(table.learners.filter((e) => e.status === 'absent').length, 19);
    // The teacher is listed apart, never among the graded learners.
    assert.ok(table.others.some((e) => e.userId === 'demo-instructor-1' && e.status !== 'absent'));
    assert.ok(!table.learners.some((e) => e.role !== 'participant'));

    const csv = await teacher.request('GET', `/attendance/sessions/${session.sessionId}/attendance.csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="attendance-\d{4}-\d\d-\d\d-ses_/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split(/\r?\n/);
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.equal(lines.length, 1 + table.learners.length + table.others.length);

    // A learner sees their own record, and nobody else's.
    const mine = await students[0]!.json('GET', '/attendance/me');
    assert.equal(mine.person.userId, learner(1));
    assert.equal(mine.sessions[0].entry.status === 'absent', false);
    const refused = await students[0]!.request('GET', '/attendance/sessions');
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'FORBIDDEN');
  });

  it("counts a student whose join and leave webhooks were lost, from the SFU's own list at the end", async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    await connect(teacher);
    const student = await launch('student', id, learner(5));
    const { grant } = await connect(student);
    const list = await endAndSettle(teacher);
    // As if LiveKit had delivered neither the join nor the leave: the recorded facts are gone.
    const db = await mongoose.createConnection(fixture.env.stack.mongoUri, { autoIndex: false }).asPromise();
    try {
      const events = db.collection('participant_events');
      await waitUntil(
        async () => (await events.countDocuments({ identity: grant.identity, kind: 'left' })) > 0,
        10_000,
        'the leave recorded',
      );
      await events.deleteMany({ identity: grant.identity });
    } finally {
      await db.close();
    }
    const table = await teacher.json<SessionAttendanceResponse>(
      'GET',
      `/attendance/sessions/${list.sessions[0]!.sessionId}`,
    );
    const entry = table.learners.find((e) => e.userId === learner(5));
    assert.ok(entry && entry.status !== 'absent', JSON.stringify(entry));
    assert.equal(entry.inferred, true, 'the time rests on the SFU list');
    assert.ok(entry.firstJoin);
  });

  it('answers unknown sessions and people with 404, malformed ids too, and learners with 403', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    const student = await launch('student', id, learner(6));
    for (const path of [
      '/attendance/sessions/ses_AAAAAAAAAAAAAAAA',
      '/attendance/sessions/nope',
      '/attendance/people/x',
    ]) {
      const res = await teacher.request('GET', path);
      assert.equal(res.status, 404, path);
      assert.ok(((await res.json()) as { error: { code: string } }).error.code);
    }
    const bad = await teacher.request('GET', '/attendance/sessions?refresh=maybe');
    assert.equal(bad.status, 400);
    for (const path of ['/attendance/sessions/ses_AAAAAAAAAAAAAAAA', '/attendance/people/u-0123456789abcdef']) {
      assert.equal((await student.request('GET', path)).status, 403, path);
    }
    // A learner with no sessions yet sees an empty history of their own.
    const mine = await student.json('GET', '/attendance/me');
    assert.deepEqual(mine.sessions, []);
  });

  it("erases one person's attendance on the admin's request; the others' stays", async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    await connect(teacher);
    const [erased, kept] = await Promise.all([launch('student', id, learner(8)), launch('student', id, learner(9))]);
    const { grant } = await connect(erased);
    await connect(kept);
    // A leader action on them: the room audit names them as its target.
    const mute = await teacher.request('POST', `/room/participants/${grant.identity}/mute-audio`);
    assert.equal(mute.status, 204, await mute.text());
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const list = await endAndSettle(teacher);
    const sessionPath = `/attendance/sessions/${list.sessions[0]!.sessionId}`;
    const me = await erased.json('GET', '/me');
    const admin = (body: unknown) =>
      fetch(`${fixture.env.tool.url}/api/admin/erase-user`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fixture.env.config.admin.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const res = await admin({ platformId: me.platform.id, userId: learner(8) });
    assert.equal(res.status, 200, await res.clone().text());
    const { erased: counts, erasureId } = (await res.json()) as { erased: Record<string, number>; erasureId: string };
    assert.ok(counts.participantEvents! >= 1, JSON.stringify(counts));
    assert.ok(counts.launchSessions! >= 1, 'their launch sessions are gone');
    assert.ok(counts.rosters! >= 1, 'dropped from the cached course roster');
    assert.ok(counts.auditEntries! >= 1, 'anonymised in the room audit');
    const db = await mongoose.createConnection(fixture.env.stack.mongoUri, { autoIndex: false }).asPromise();
    try {
      assert.equal(await db.collection('participant_events').countDocuments({ identity: grant.identity }), 0);
      assert.equal(await db.collection('room_audit').countDocuments({ target: grant.identity }), 0);
      const record = await db.collection('user_erasures').findOne({ _id: erasureId as never });
      assert.equal(record?.subject, erasureSubject(grant.identity), 'who was erased, as a digest');
      assert.ok(!JSON.stringify(record).includes(learner(8)), 'the record does not keep the user id');
    } finally {
      await db.close();
    }
    assert.equal((await erased.request('GET', '/me')).status, 401, 'and so their session ended');
    const table = await teacher.json<SessionAttendanceResponse>('GET', sessionPath);
    const status = (n: number) => table.learners.find((e) => e.userId === learner(n))?.status;
    assert.ok(!table.learners.some((e) => e.userId === learner(8) && e.status !== 'absent'), 'no time of theirs');
    assert.notEqual(status(9), 'absent');
    // Idempotent, and bad input is a clear 400.
    const again = await admin({ platformId: me.platform.id, userId: learner(8) });
    assert.equal(again.status, 200);
    const { erased: none } = (await again.json()) as { erased: Record<string, number> };
    assert.deepEqual(
      Object.entries(none).filter(([, n]) => n > 0),
      [],
      'nothing left to erase',
    );
    assert.equal((await admin({ userId: learner(8) })).status, 400);
    // The course still enrols them: read the roster from the LMS again, so later suites see all 22 learners.
    const refreshed = await teacher.json<SessionAttendanceResponse>('GET', `${sessionPath}?refresh=1`);
    assert.equal(refreshed.learners.length, 22);
  });
});
