import assert from 'node:assert/strict';
import {
  LaunchedUser,
  TestParticipant,
  useSfuFixture,
  videoGrant,
  waitUntil,
  type Grant,
} from '../support/room-client.js';
import { BULK_ACTIONS, PARTICIPANT_ACTIONS, ROOM_ACTIONS, WAITING_ACTIONS } from '../../src/rooms/room-actions.js';

describe('leader controls: enforced by the real SFU on connected participants', function () {
  this.timeout(90_000);
  const fixture = useSfuFixture('ctl-learner');
  const { launch, newStudent, connect, onSfu, sfu } = fixture;

  /** A fresh activity per test: lock and end are room state, so tests never share a room. */
  const activity = (settings: Record<string, unknown> = {}) =>
    LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Controls', ...settings });
  const sources = async (grant: Grant) => [...((await sfu(grant)).permission?.canPublishSources ?? [])].sort();
  const liveMics = async (grant: Grant) =>
    (await sfu(grant)).tracks.filter((t) => t.source === 'microphone' && !t.muted).length;

  /** POST a control and return the status and error code. */
  const control = async (user: LaunchedUser | undefined, path: string) => {
    const res = user
      ? await user.request('POST', `/room${path}`)
      : await fetch(`${fixture.env.tool.url}/api/room${path}`, { method: 'POST' });
    const text = await res.text();
    const code = text ? ((JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null) : null;
    return { status: res.status, code };
  };
  const ok = async (user: LaunchedUser, path: string) =>
    assert.deepEqual(await control(user, path), {
      status: 204,
      code: null,
    });
  const tokenRefusal = async (user: LaunchedUser) => {
    const res = await user.request('POST', '/room/token');
    const body = (await res.json()) as { error?: { code: string; details?: Record<string, unknown> } };
    return { status: res.status, code: body.error?.code, details: body.error?.details };
  };
  const refused = async (user: LaunchedUser) => (await tokenRefusal(user)).code ?? 'granted';
  const publishRefused = (p: TestParticipant) =>
    p.publishMicrophone().then(
      () => false,
      () => true,
    );

  it('mutes stickily: the SFU drops the source, a republish is refused, a fresh token lacks it; allow restores', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    const student = await launch('student', id);
    const { p, grant } = await connect(student);
    await p.publishMicrophone();
    await waitUntil(async () => (await liveMics(grant)) === 1, 10_000, 'the microphone on the SFU');

    await ok(teacher, `/participants/${grant.identity}/mute-audio`);
    assert.deepEqual(await sources(grant), ['camera']);
    // LiveKit 1.13 goes further than a mute: it unpublishes a track whose source the permission dropped.
    await waitUntil(async () => (await liveMics(grant)) === 0, 10_000, 'no live microphone');
    assert.equal(await publishRefused(p), true, 'the SFU refuses a new microphone');
    assert.equal(await liveMics(grant), 0);
    // Sticky across a reconnect in the same session: the next token carries the mute too.
    assert.deepEqual(videoGrant((await student.joinGrant()).token).canPublishSources, ['camera']);

    await ok(teacher, `/participants/${grant.identity}/allow-audio`);
    assert.deepEqual(await sources(grant), ['camera', 'microphone']);
    await p.publishMicrophone();
    await waitUntil(async () => (await liveMics(grant)) === 1, 10_000, 'a new live microphone');
    assert.deepEqual(videoGrant((await student.joinGrant()).token).canPublishSources, ['camera', 'microphone']);

    await ok(teacher, `/participants/${grant.identity}/mute-video`);
    assert.deepEqual(await sources(grant), ['microphone']);
    assert.deepEqual(videoGrant((await student.joinGrant()).token).canPublishSources, ['microphone']);
    await ok(teacher, `/participants/${grant.identity}/allow-video`);
    assert.deepEqual(await sources(grant), ['camera', 'microphone']);
  });

  it('removes a participant: the SFU closes the connection and no new token is issued', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    const student = await launch('student', id);
    const { p, grant } = await connect(student);
    const spare = await student.joinGrant();

    await ok(teacher, `/participants/${grant.identity}/remove`);
    await waitUntil(() => p.disconnected, 10_000, 'the removed student disconnected');
    assert.equal(await onSfu(grant), undefined);
    // A token minted before the removal does not bring the student back (revoked, or turned away by the webhook).
    const back = await TestParticipant.connect(spare).catch(() => undefined);
    if (back) {
      fixture.disconnectAfterTest(back);
      await waitUntil(() => back.disconnected, 15_000, 'the returning student turned away');
    }
    assert.equal(await onSfu(grant), undefined);
    assert.deepEqual(await tokenRefusal(student), { status: 403, code: 'ROOM_PARTICIPANT_REMOVED', details: {} });
  });

  it('locks the room to new participants (instructors still enter) and unlocks it', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    const student = await launch('student', id);
    const early = await newStudent(id);
    const before = await early.joinGrant();

    await ok(teacher, '/lock');
    assert.equal((await teacher.json('GET', '/room')).locked, true);
    assert.deepEqual(await tokenRefusal(student), { status: 403, code: 'ROOM_LOCKED', details: {} });
    assert.ok((await teacher.joinGrant()).token);
    // A token minted before the lock still connects, and the participant_joined webhook turns it away.
    const late = await TestParticipant.connect(before);
    fixture.disconnectAfterTest(late);
    await waitUntil(() => late.disconnected, 15_000, 'the joiner with a pre-lock token removed');

    await ok(teacher, '/unlock');
    assert.equal((await teacher.json('GET', '/room')).locked, false);
    assert.ok((await student.joinGrant()).token);
  });

  it('ends the class for everyone; only an instructor reopens it', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    const student = await launch('student', id);
    const t = await connect(teacher);
    const s = await connect(student);
    await waitUntil(async () => (await teacher.json('GET', '/room')).state === 'live', 10_000, 'live session');

    await ok(teacher, '/end');
    await waitUntil(() => t.p.disconnected && s.p.disconnected, 10_000, 'everyone disconnected');
    assert.deepEqual(await tokenRefusal(student), { status: 409, code: 'ROOM_ENDED', details: {} });
    // The room_finished webhook must not turn an ended class back into an open one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const ended = await teacher.json('GET', '/room');
    assert.equal(ended.state, 'ended');
    assert.equal(ended.sessionId, null);
    assert.equal(await refused(student), 'ROOM_ENDED');

    const reopened = await teacher.joinGrant();
    assert.ok(reopened.token);
    assert.notEqual((await teacher.json('GET', '/room')).state, 'ended');
    const again = await connect(student);
    assert.equal(again.grant.room, reopened.room);
  });

  it('promotes a webinar listener to speaker and demotes it again', async () => {
    const id = await activity({ title: 'Webinar', publishers: 'instructors' });
    const teacher = await launch('instructor', id);
    const student = await launch('student', id);
    const { p, grant } = await connect(student);
    assert.deepEqual(videoGrant(grant.token).canPublishSources, []);
    assert.equal(videoGrant(grant.token).canPublish, false);
    assert.deepEqual(await sources(grant), []);
    assert.equal(await publishRefused(p), true, 'a listener cannot publish');

    await ok(teacher, `/participants/${grant.identity}/promote`);
    assert.deepEqual(await sources(grant), ['camera', 'microphone']);
    await p.publishMicrophone();
    await waitUntil(async () => (await liveMics(grant)) === 1, 10_000, 'the speaker microphone');
    assert.deepEqual(videoGrant((await student.joinGrant()).token).canPublishSources, ['camera', 'microphone']);

    await ok(teacher, `/participants/${grant.identity}/demote`);
    assert.deepEqual(await sources(grant), []);
    await waitUntil(async () => (await liveMics(grant)) === 0, 10_000, 'the demoted microphone gone');
    assert.deepEqual(videoGrant((await student.joinGrant()).token).canPublishSources, []);
  });

  it('refuses the participant over capacity; instructors and reconnects are not refused', async () => {
    const id = await activity({ maxParticipants: 2 });
    const teacher = await launch('instructor', id);
    const first = await newStudent(id);
    await connect(first);
    await connect(await newStudent(id));

    const third = await newStudent(id);
    assert.deepEqual(await tokenRefusal(third), {
      status: 409,
      code: 'ROOM_FULL',
      details: { maxParticipants: 2, position: 1 },
    });
    assert.ok((await first.joinGrant()).token, 'a connected participant can still get a token to reconnect');
    assert.ok((await teacher.joinGrant()).token, 'instructors are never refused for capacity');
  });

  it('lowers a raised hand (raised through the tool, which sets the hand attribute)', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    const student = await launch('student', id);
    const { grant } = await connect(student);
    await student.json('POST', '/room/hand', { raised: true }, 204);
    const hand = async () => (await sfu(grant)).attributes.hand ?? '';
    await waitUntil(async () => (await hand()) !== '', 10_000, 'the raised hand on the SFU');

    await ok(teacher, `/participants/${grant.identity}/lower-hand`);
    await waitUntil(async () => (await hand()) === '', 10_000, 'the hand lowered on the SFU');
    assert.equal((await sfu(grant)).attributes.role, 'participant');
  });

  it('never takes a role from what a participant tries to write: a "participant" claiming instructor gains nothing', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    const { p, grant } = await connect(await launch('student', id));
    const refusedOrSilent = (what: Promise<unknown>) =>
      Promise.race([what.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3_000))]);
    await refusedOrSilent(p.room.localParticipant!.updateMetadata(JSON.stringify({ role: 'instructor' })));
    await refusedOrSilent(p.room.localParticipant!.setAttributes({ role: 'instructor' }));
    assert.equal((await sfu(grant)).attributes.role, 'participant', 'the SFU kept the role the tool set');

    await ok(teacher, `/participants/${grant.identity}/mute-video`);
    assert.deepEqual(await sources(grant), ['microphone'], 'participant powers, not an instructor screen share');
    await ok(teacher, '/mute-all');
    assert.deepEqual(await sources(grant), [], 'mute-all reaches the forger too');
  });

  it('lets only the instructor of this activity use the controls (authorization matrix)', async function () {
    this.timeout(120_000);
    const a = await activity();
    const b = await activity({ title: 'Other class' });
    const teacherA = await launch('instructor', a);
    const studentA = await launch('student', a);
    const observerA = await launch('observer', a);
    const teacherB = await launch('instructor', b);
    const { grant } = await connect(studentA);
    const target = grant.identity;
    const routes = [
      ...PARTICIPANT_ACTIONS.map((action) => ({ path: `/participants/${target}/${action}`, kind: 'participant' })),
      ...[...ROOM_ACTIONS, ...BULK_ACTIONS].map((action) => ({ path: `/${action}`, kind: 'room' })),
      ...WAITING_ACTIONS.map((action) => ({ path: `/waiting/${target}/${action}`, kind: 'waiting' })),
    ];
    assert.equal(routes.length, 25);
    const bad: string[] = [];
    const expect = async (who: string, user: LaunchedUser | undefined, path: string, status: number, code: string) => {
      const got = await control(user, path);
      if (got.status !== status || got.code !== code) bad.push(`${who} ${path}: ${got.status} ${got.code}`);
    };
    for (const { path, kind } of routes) {
      await expect('anonymous', undefined, path, 401, 'UNAUTHENTICATED');
      await expect('participant', studentA, path, 403, 'FORBIDDEN');
      await expect('observer', observerA, path, 403, 'FORBIDDEN');
      if (kind !== 'room') await expect('other instructor', teacherB, path, 403, 'ROOM_PARTICIPANT_UNKNOWN');
    }
    assert.deepEqual(bad, []);
    assert.deepEqual(await sources(grant), ['camera', 'microphone'], 'nothing reached the student');

    // Room actions by another activity's instructor act on their own room only.
    for (const action of [...BULK_ACTIONS, ...ROOM_ACTIONS]) await ok(teacherB, `/${action}`);
    assert.ok((await teacherB.joinGrant()).token, 'B reopens its own ended room');
    await ok(teacherB, '/lock');
    assert.ok((await (await newStudent(a)).joinGrant()).token, 'room A is not locked by B');
    assert.equal(await refused(await newStudent(b)), 'ROOM_LOCKED', 'room B is');
    const roomA = await teacherA.json('GET', '/room');
    assert.equal(roomA.locked, false);
    assert.notEqual(roomA.state, 'ended');
    assert.deepEqual(await sources(grant), ['camera', 'microphone'], 'mute-all in B left A alone');
    assert.ok(await onSfu(grant), 'end in B left A connected');

    // Malformed identities and unknown actions are not routes.
    const notFound = { status: 404, code: 'NOT_FOUND' };
    for (const path of [
      '/participants/not-an-identity/mute-audio',
      '/participants/U-ABC/remove',
      `/participants/${target}x!/remove`,
      '/waiting/nobody/admit',
      `/participants/${target}/explode`,
      `/waiting/${target}/explode`,
      '/explode',
    ]) {
      assert.deepEqual(await control(teacherA, path), notFound, path);
    }
    // A well-formed identity that is not in this room is refused, not acted upon.
    assert.deepEqual(await control(teacherA, `/participants/u-${'0'.repeat(24)}/remove`), {
      status: 403,
      code: 'ROOM_PARTICIPANT_UNKNOWN',
    });
  });

  it('audits every control: who, what, on whom, when', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    const t = await teacher.joinGrant();
    const { grant } = await connect(await launch('student', id));
    const started = Date.now();
    for (const path of [
      `/participants/${grant.identity}/mute-audio`,
      '/lock',
      '/unlock',
      `/participants/${grant.identity}/remove`,
    ]) {
      await ok(teacher, path);
    }
    const log = await fixture.audit.log(grant.room);
    assert.deepEqual(
      log.map((e) => [e.actor, e.action, e.target]),
      [
        [t.identity, 'mute-audio', grant.identity],
        [t.identity, 'lock', undefined],
        [t.identity, 'unlock', undefined],
        [t.identity, 'remove', grant.identity],
      ],
    );
    for (const e of log) {
      assert.ok(e.at instanceof Date && e.at.getTime() >= started - 1000 && e.at.getTime() <= Date.now());
      assert.equal(e.roomKey, grant.room);
      assert.match(e.sessionId ?? '', /^ses_/);
    }
  });
});
