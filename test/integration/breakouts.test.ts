import assert from 'node:assert/strict';
import type { AttendanceSessionsResponse, BreakoutState, SessionAttendanceResponse } from '../../src/http/contract.js';
import { LaunchedUser, TestParticipant, useSfuFixture, waitUntil, type Grant } from '../support/room-client.js';

/** Breakout rounds against the real SFU: real launches, real participants, the tool's webhooks. */
describe('breakout rooms', function () {
  this.timeout(120_000);
  const fixture = useSfuFixture('brk');
  const { launch, newStudent, connect, connectWith, onSfu } = fixture;
  const activity = () => LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Breakouts' });

  const call = async (user: LaunchedUser, path: string, body?: unknown) => {
    const res = await user.request('POST', `/room/breakouts${path}`, body);
    const text = await res.text();
    const code = text ? ((JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null) : null;
    return { status: res.status, code };
  };
  const ok = async (user: LaunchedUser, path: string, body?: unknown) =>
    assert.deepEqual(await call(user, path, body), { status: 204, code: null });
  const state = (user: LaunchedUser) => user.json<BreakoutState>('GET', '/room/breakouts');
  const breakoutToken = (user: LaunchedUser, body: unknown = {}) =>
    user.json<Grant>('POST', '/room/breakouts/token', body);

  /** A live class: the teacher and `n` distinct learners connected to the main room. */
  const liveClass = async (n: number, rosterLearner?: string) => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    const main = await connect(teacher);
    const students: LaunchedUser[] = [];
    for (let i = 0; i < n; i++)
      students.push(await (rosterLearner ? launch('student', id, rosterLearner) : newStudent(id)));
    const grants: Grant[] = [];
    const inMain: TestParticipant[] = [];
    for (const s of students) {
      const { p, grant } = await connect(s);
      grants.push(grant);
      inMain.push(p);
    }
    await waitUntil(async () => (await teacher.json('GET', '/room')).state === 'live', 10_000, 'the class live');
    return { teacher, main, students, grants, inMain };
  };
  /** Connects with a token the SFU may accept and the tool then turn away: resolves true when turned away. */
  const turnedAway = async (grant: Grant) => {
    const p = await TestParticipant.connect(grant).catch(() => undefined);
    if (!p) return true;
    fixture.disconnectAfterTest(p);
    await waitUntil(() => p.disconnected, 15_000, `${grant.identity} turned away from ${grant.room}`);
    return true;
  };

  it('opens a random round: each learner gets a token for their breakout, which the SFU accepts', async () => {
    const { teacher, main, students, grants } = await liveClass(3);
    await ok(teacher, '/open', { mode: 'random', count: 2 });
    const seen = await state(teacher);
    assert.equal(seen.place, 0);
    assert.equal(seen.round?.count, 2);
    assert.deepEqual(
      seen.round?.rooms.map((r) => r.title),
      ['Room 1', 'Room 2'],
    );
    const sizes = seen.round!.rooms.map((r) => r.people.length).sort();
    assert.deepEqual(sizes, [1, 2], 'a balanced split of three');
    await waitUntil(
      () => main.p.data.some((d) => d.topic === 'breakout' && (d.payload as { type?: string }).type === 'opened'),
      10_000,
      'the opened push in the main room',
    );

    for (const [i, s] of students.entries()) {
      const mine = await state(s);
      const grant = await breakoutToken(s);
      assert.equal(grant.identity, grants[i]!.identity);
      assert.ok(mine.place >= 1 && mine.place <= 2);
      assert.match(grant.room, new RegExp(`^${grants[i]!.room}-b\\d+-${mine.place}$`));
      const inRoom = mine.round!.rooms[mine.place - 1]!.people.map((p) => p.identity);
      assert.ok(inRoom.includes(grant.identity));
      await connectWith(grant);
    }
    // The teacher's own place is the main room; a visit is a token for the breakout asked for.
    assert.equal((await breakoutToken(teacher)).room, main.grant.room);
    const visit = await breakoutToken(teacher, { visit: 2 });
    assert.match(visit.room, /-b\d+-2$/);
    await connectWith(visit);
  });

  it('refuses learners the leader powers, bad input with 400, and a second round while one is open', async () => {
    const { teacher, students } = await liveClass(2);
    const student = students[0]!;
    assert.deepEqual(await call(student, '/open', { mode: 'random', count: 2 }), { status: 403, code: 'FORBIDDEN' });
    assert.deepEqual(await call(teacher, '/open', { mode: 'random', count: 1 }), {
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    assert.deepEqual(await call(teacher, '/open', { mode: 'random', count: 51 }), {
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    assert.deepEqual(await call(teacher, '/open', { mode: 'shuffle', count: 2 }), {
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    assert.deepEqual(await call(teacher, '/close', {}), { status: 409, code: 'BREAKOUT_NOT_OPEN' });
    assert.deepEqual(await call(teacher, '/broadcast', { text: 'hi' }), { status: 409, code: 'BREAKOUT_NOT_OPEN' });
    assert.deepEqual(
      await call(teacher, '/open', { mode: 'manual', count: 2, assignment: { 'u-0123456789abcdef': 1 } }),
      {
        status: 409,
        code: 'BREAKOUT_PERSON_UNKNOWN',
      },
    );
    await ok(teacher, '/open', { mode: 'random', count: 2 });
    assert.deepEqual(await call(teacher, '/open', { mode: 'random', count: 2 }), {
      status: 409,
      code: 'BREAKOUT_ALREADY_OPEN',
    });
    assert.deepEqual(await call(student, '/token', { visit: 1 }), { status: 403, code: 'FORBIDDEN' });
    assert.deepEqual(await call(student, '/close', {}), { status: 403, code: 'FORBIDDEN' });
    assert.deepEqual(await call(student, '/broadcast', { text: 'hi' }), { status: 403, code: 'FORBIDDEN' });
    assert.deepEqual(await call(teacher, '/broadcast', { text: ' ' }), { status: 400, code: 'VALIDATION_FAILED' });
    assert.deepEqual(await call(teacher, '/move', { identity: 'nobody', room: 1 }), {
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    assert.deepEqual(await call(teacher, '/close', { countdownSeconds: 301 }), {
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('places by hand, moves one learner (the old token is turned away), broadcasts, and calls everyone back', async () => {
    const { teacher, students, grants } = await liveClass(2);
    const [a, b] = [grants[0]!, grants[1]!];
    await ok(teacher, '/open', { mode: 'manual', count: 3, assignment: { [a.identity]: 1, [b.identity]: 3 } });
    const oldA = await breakoutToken(students[0]!);
    assert.match(oldA.room, /-b\d+-1$/);
    const inA = await connectWith(oldA);
    const inB = await connectWith(await breakoutToken(students[1]!));

    await ok(teacher, '/broadcast', { text: 'Five minutes left' });
    for (const p of [inA, inB]) {
      await waitUntil(
        () => p.data.some((d) => (d.payload as { text?: string }).text === 'Five minutes left'),
        10_000,
        'the broadcast in every breakout',
      );
    }

    await ok(teacher, '/move', { identity: a.identity, room: 3 });
    await waitUntil(() => inA.disconnected, 10_000, 'the moved learner out of their old breakout');
    assert.equal((await state(students[0]!)).place, 3);
    const newA = await breakoutToken(students[0]!);
    assert.match(newA.room, /-b\d+-3$/);
    assert.ok(await turnedAway(oldA), 'the old breakout token no longer holds a place');
    assert.equal(await onSfu(oldA), undefined);
    await connectWith(newA);

    await ok(teacher, '/close', { countdownSeconds: 0 });
    const back = await state(students[0]!);
    assert.deepEqual(back, { place: 0 });
    assert.equal((await breakoutToken(students[0]!)).room, a.room, 'the token is for the main room again');
    assert.ok(await turnedAway(newA), 'a breakout token of a closed round is turned away');
    assert.deepEqual(await call(teacher, '/close', {}), { status: 409, code: 'BREAKOUT_NOT_OPEN' });
  });

  it('a learner removed from the class leaves their breakout and gets no breakout token', async () => {
    const { teacher, students, grants } = await liveClass(2);
    await ok(teacher, '/open', { mode: 'random', count: 2 });
    const inBreakout = await connectWith(await breakoutToken(students[0]!));
    const res = await teacher.request('POST', `/room/participants/${grants[0]!.identity}/remove`);
    assert.equal(res.status, 204);
    await waitUntil(() => inBreakout.disconnected, 10_000, 'the removed learner out of their breakout');
    assert.deepEqual(await call(students[0]!, '/token'), { status: 403, code: 'ROOM_PARTICIPANT_REMOVED' });
  });

  it('counts time in a breakout as time in class: the switch from the main room is one visit', async () => {
    const { teacher, students, grants, inMain } = await liveClass(1, 'demo-student-07');
    const learner = students[0]!;
    await ok(teacher, '/open', { mode: 'random', count: 2 });
    const breakout = await breakoutToken(learner);
    // As the client does: into the breakout, then out of the main room.
    await connectWith(breakout);
    await inMain[0]!.disconnect();
    const roomKey = grants[0]!.room;
    await waitUntil(
      async () =>
        (await fixture.store.participantEvents(roomKey)).filter(
          (e) => e.identity === breakout.identity && e.kind === 'joined',
        ).length === 2,
      10_000,
      "the breakout join recorded as the class's",
    );
    await new Promise((resolve) => setTimeout(resolve, 2_100));

    assert.equal((await teacher.request('POST', '/room/end')).status, 204);
    let list: AttendanceSessionsResponse | undefined;
    await waitUntil(
      async () => {
        list = await teacher.json<AttendanceSessionsResponse>('GET', '/attendance/sessions');
        return list.sessions[0]?.final === true;
      },
      20_000,
      () => `the session to become final (${JSON.stringify(list?.sessions)})`,
    );
    const session = list!.sessions[0]!;
    assert.equal(session.attended, 1);
    const table = await teacher.json<SessionAttendanceResponse>('GET', `/attendance/sessions/${session.sessionId}`);
    const entry = table.learners.find((e) => e.userId === 'demo-student-07');
    assert.ok(entry && entry.status !== 'absent', JSON.stringify(entry));
    assert.equal(entry.joins, 1, 'main room and breakout: one visit');
    // Ending the class closed the round.
    assert.deepEqual(await state(learner), { place: 0 });
  });
});
