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

  it('acts on everyone at once in the main room and in every breakout, with the same exclusions and audit', async () => {
    const { teacher, students, grants, inMain } = await liveClass(3);
    const [a, b, c] = [grants[0]!, grants[1]!, grants[2]!];
    await ok(teacher, '/open', {
      mode: 'manual',
      count: 2,
      assignment: { [a.identity]: 1, [b.identity]: 2, [c.identity]: 2 },
    });
    // a and b moved over as the client does (into the breakout, out of the main room); c has not yet.
    const inA = await connectWith(await breakoutToken(students[0]!));
    const inB = await connectWith(await breakoutToken(students[1]!));
    await inMain[0]!.disconnect();
    await inMain[1]!.disconnect();
    const micA = await inA.publishMicrophone();
    const where = async (grant: Grant, room: string) =>
      (await fixture.gateway.listParticipants(room)).find((p) => p.identity === grant.identity);
    const [roomA, roomB] = [`${a.room}-b1-1`, `${a.room}-b1-2`];
    assert.ok(await where(a, roomA), 'a in breakout 1');

    const bulk = (action: string, body: unknown = {}) => teacher.request('POST', `/room/${action}`, body);
    assert.equal((await bulk('mute-all', { exclude: [b.identity] })).status, 204);
    const mutedA = await where(a, roomA);
    assert.ok(!mutedA?.permission?.canPublishSources.includes('microphone'), 'a may not speak in the breakout');
    // The SFU drops (or mutes) a track its source is no longer allowed for.
    assert.ok(!mutedA?.tracks.some((t) => t.sid === micA && !t.muted), "a's microphone silenced by the SFU");
    assert.ok(
      !(await where(c, a.room))?.permission?.canPublishSources.includes('microphone'),
      'c muted in the main room',
    );
    assert.ok((await where(b, roomB))?.permission?.canPublishSources.includes('microphone'), 'b excluded');

    assert.equal((await bulk('deaf-all')).status, 204);
    assert.equal((await where(b, roomB))?.permission?.canSubscribe, false, 'b deaf in breakout 2');
    assert.equal((await where(b, roomB))?.attributes.deaf, 'true');
    assert.equal((await bulk('undeaf-all')).status, 204);
    assert.equal((await where(b, roomB))?.permission?.canSubscribe, true);

    assert.equal((await bulk('remove-all', { exclude: [b.identity] })).status, 204);
    await waitUntil(() => inA.disconnected && inMain[2]!.disconnected, 10_000, 'a and c removed');
    assert.equal(inB.disconnected, false, 'b excluded');
    assert.deepEqual(await call(students[0]!, '/token'), { status: 403, code: 'ROOM_PARTICIPANT_REMOVED' });

    const audit = await fixture.audit.log(a.room);
    const on = (action: string) =>
      audit
        .filter((e) => e.action === action)
        .map((e) => e.target)
        .sort();
    assert.deepEqual(on('mute-audio'), [a.identity, c.identity].sort());
    assert.deepEqual(on('deaf'), [a.identity, b.identity, c.identity].sort());
    assert.deepEqual(on('remove'), [a.identity, c.identity].sort());
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
