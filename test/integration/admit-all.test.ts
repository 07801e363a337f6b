import assert from 'node:assert/strict';
import { LaunchedUser, TestParticipant, useSfuFixture, waitUntil, type Grant } from '../support/room-client.js';

/** "Admit all" against the real tool, SFU and database: the waiting clients hear it through the lobby. */
describe('waiting room: admit all', function () {
  this.timeout(90_000);
  const fixture = useSfuFixture('admit-all');
  const { launch, newStudent } = fixture;
  const lobbies: TestParticipant[] = [];
  afterEach(async () => {
    await Promise.all(lobbies.splice(0).map((p) => p.disconnect()));
  });

  const waitingClass = () =>
    LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Admit all', waitingRoom: true });

  /** A student who knocks: refused with a lobby token, connected to the lobby; answers the student and the lobby. */
  const knock = async (activity: string) => {
    const student = await newStudent(activity);
    const res = await student.request('POST', '/room/token');
    const body = (await res.json()) as { error: { code: string; details: { lobby: Grant } } };
    assert.equal(body.error.code, 'ROOM_IN_WAITING_ROOM');
    const lobby = await TestParticipant.connect(body.error.details.lobby);
    lobbies.push(lobby);
    return { student, lobby, identity: body.error.details.lobby.identity };
  };
  const admittedPush = (lobby: TestParticipant) =>
    waitUntil(
      () => lobby.data.some((d) => (d.payload as { type?: string } | undefined)?.type === 'admitted'),
      10_000,
      'admission pushed',
    );
  /** POST admit-all with `body`: the status and the error code (null on success). */
  const admitAll = async (user: LaunchedUser, body: unknown) => {
    const res = await user.request('POST', '/room/waiting/admit-all', body);
    const json = (await res.json()) as { error?: { code: string }; admitted?: string[] };
    return { status: res.status, code: json.error?.code ?? null, admitted: json.admitted };
  };

  it('admits exactly the people the teacher saw, pushes each their admission, and audits every one', async () => {
    const activity = await waitingClass();
    const teacher = await launch('instructor', activity);
    const teacherGrant = await teacher.joinGrant();
    const first = await knock(activity);
    const second = await knock(activity);
    const seen = (await teacher.json('GET', '/room')).waiting.map((w: { identity: string }) => w.identity);
    assert.deepEqual([...seen].sort(), [first.identity, second.identity].sort());
    // Someone knocks while the click is on its way: not in the list the teacher saw, so not admitted.
    const late = await knock(activity);

    assert.deepEqual(await admitAll(teacher, { identities: seen }), {
      status: 200,
      code: null,
      admitted: seen,
    });
    await admittedPush(first.lobby);
    await admittedPush(second.lobby);
    assert.equal((await first.student.joinGrant()).identity, first.identity);
    assert.equal((await second.student.joinGrant()).identity, second.identity);
    assert.deepEqual(
      (await teacher.json('GET', '/room')).waiting.map((w: { identity: string }) => w.identity),
      [late.identity],
    );
    assert.equal(
      late.lobby.data.some((d) => (d.payload as { type?: string } | undefined)?.type === 'admitted'),
      false,
    );

    const log = await fixture.audit.log(teacherGrant.room);
    assert.deepEqual(
      log.filter((e) => e.action.startsWith('waiting-')).map((e) => [e.actor, e.action, e.target]),
      seen.map((identity: string) => [teacherGrant.identity, 'waiting-admit', identity]),
    );

    // Asked again (a second teacher, a double click): nobody listed is waiting any more.
    assert.deepEqual(await admitAll(teacher, { identities: seen }), {
      status: 409,
      code: 'ROOM_WAITING_NONE',
      admitted: undefined,
    });
  });

  it('refuses students, malformed lists and identities that are not waiting', async () => {
    const activity = await waitingClass();
    const teacher = await launch('instructor', activity);
    await teacher.joinGrant();
    const waiting = await knock(activity);
    await teacher.json('POST', `/room/waiting/${waiting.identity}/admit`, undefined, 204);
    await admittedPush(waiting.lobby);
    await waiting.student.joinGrant();
    const other = await knock(activity);

    assert.equal((await admitAll(waiting.student, { identities: [other.identity] })).code, 'FORBIDDEN');
    for (const body of [
      {},
      { identities: [] },
      { identities: ['not an identity'] },
      { identities: [other.identity], extra: true },
      { identities: Array.from({ length: 1001 }, (_, i) => `u-${i.toString(16).padStart(8, '0')}`) },
    ]) {
      assert.deepEqual(await admitAll(teacher, body), { status: 400, code: 'VALIDATION_FAILED', admitted: undefined });
    }
    // Already admitted, and never knocked: nothing to do.
    const stranger = `u-${'0'.repeat(24)}`;
    assert.equal((await admitAll(teacher, { identities: [waiting.identity, stranger] })).code, 'ROOM_WAITING_NONE');
    // The one still waiting among them is admitted; the rest are skipped.
    assert.deepEqual(await admitAll(teacher, { identities: [stranger, other.identity, other.identity] }), {
      status: 200,
      code: null,
      admitted: [other.identity],
    });
    await admittedPush(other.lobby);
  });
});
