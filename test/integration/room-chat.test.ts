import assert from 'node:assert/strict';
import {
  LaunchedUser,
  useSfuFixture,
  videoGrant,
  waitUntil,
  type DemoRole,
  type Grant,
  type TestParticipant,
} from '../support/room-client.js';

describe('chat on/off: enforced by the real SFU through the data permission', function () {
  this.timeout(90_000);
  const fixture = useSfuFixture('chat-learner');
  const { connect, connectWith, onSfu } = fixture;

  const activity = () => LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Chat' });
  /** Every student here is a distinct learner. */
  const launch = (role: DemoRole, id: string) =>
    role === 'student' ? fixture.newStudent(id) : fixture.launch(role, id);

  const permission = async (grant: Grant) => {
    const p = await onSfu(grant);
    assert.ok(p?.permission, `${grant.identity} is connected`);
    return p.permission;
  };
  const roomMetadata = async (room: string) =>
    JSON.parse((await fixture.gateway.listRooms([room]))[0]?.metadata ?? '{}') as Record<string, unknown>;

  /** A reliable data message on topic 'chat', as the launcher sends one. */
  const say = (p: TestParticipant, text: string) =>
    p.room
      .localParticipant!.publishData(new TextEncoder().encode(JSON.stringify({ text })), {
        reliable: true,
        topic: 'chat',
      })
      .catch(() => undefined);
  const heard = (p: TestParticipant, from: string, text: string) =>
    p.data.some((d) => d.topic === 'chat' && d.from === from && (d.payload as { text?: string }).text === text);
  /** Sends and waits long enough that a message the SFU forwards would have arrived (from anyone). */
  const notHeard = async (listener: TestParticipant, speaker: TestParticipant, text: string) => {
    await say(speaker, text);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return !listener.data.some((d) => (d.payload as { text?: string }).text === text);
  };
  /** Data from a participant the listener does not know yet arrives without a sender: wait for the join. */
  const meet = (listener: TestParticipant, ...grants: Grant[]) =>
    waitUntil(
      () => grants.every((g) => listener.room.remoteParticipants.has(g.identity)),
      10_000,
      'the participants to know each other',
    );

  const post = async (user: LaunchedUser, path: string) => {
    const res = await user.request('POST', `/room${path}`);
    const text = await res.text();
    return { status: res.status, code: text ? (JSON.parse(text) as { error?: { code?: string } }).error?.code : null };
  };
  const ok = async (user: LaunchedUser, path: string) =>
    assert.deepEqual(await post(user, path), { status: 204, code: null });

  it('turns the chat off and on: permission, delivery, later tokens, room metadata, roles', async () => {
    const id = await activity();
    const teacherUser = await launch('instructor', id);
    const studentUser = await launch('student', id);
    const observerUser = await launch('observer', id);
    const lateUser = await launch('student', id);
    const teacher = await connect(teacherUser);
    const student = await connect(studentUser);
    const observer = await connect(observerUser);
    assert.equal((await teacherUser.json('GET', '/room')).chatEnabled, true);
    assert.equal((await roomMetadata(student.grant.room)).chatEnabled, true);

    // Chat on: the instructor hears the student.
    await meet(teacher.p, student.grant);
    await meet(student.p, teacher.grant);
    await say(student.p, 'hello');
    await waitUntil(() => heard(teacher.p, student.grant.identity, 'hello'), 10_000, 'the chat message');
    // Minted before the switch, used after it: the join webhook brings it in line.
    const staleGrant = await lateUser.joinGrant();
    assert.equal(videoGrant(staleGrant.token).canPublishData, true);

    // Only an instructor flips it.
    assert.deepEqual(await post(studentUser, '/chat-off'), { status: 403, code: 'FORBIDDEN' });
    assert.deepEqual(await post(observerUser, '/chat-off'), { status: 403, code: 'FORBIDDEN' });
    assert.equal((await permission(student.grant)).canPublishData, true);

    await ok(teacherUser, '/chat-off');
    const studentPermission = await permission(student.grant);
    assert.equal(studentPermission.canPublishData, false, 'the SFU no longer takes data from the student');
    assert.deepEqual([...studentPermission.canPublishSources].sort(), ['camera', 'microphone']);
    assert.equal((await permission(teacher.grant)).canPublishData, true, 'instructors keep data');
    assert.equal((await permission(observer.grant)).canPublishData, false);
    assert.equal((await teacherUser.json('GET', '/room')).chatEnabled, false);
    assert.equal((await studentUser.json('GET', '/me')).room.chatEnabled, false);
    await waitUntil(
      async () => (await roomMetadata(student.grant.room)).chatEnabled === false,
      10_000,
      'room metadata with the chat off',
    );
    assert.deepEqual(await roomMetadata(student.grant.room), {
      title: 'Chat',
      locked: false,
      audioOnly: false,
      chatEnabled: false,
      // The class layout and the room's own metadata (room-session controls) travel in it too.
      layout: { mode: 'auto', hideCameraOff: false, raisedHandsFirst: false, locked: false },
      custom: {},
    });
    assert.equal(await notHeard(teacher.p, student.p, 'still there?'), true);
    await say(teacher.p, 'quiet please');
    await waitUntil(() => heard(student.p, teacher.grant.identity, 'quiet please'), 10_000, 'the teacher message');

    // A student joining now gets no data permission in the token, nor on the SFU.
    const newcomerUser = await launch('student', id);
    const newcomer = await connect(newcomerUser);
    assert.equal(videoGrant(newcomer.grant.token).canPublishData, false);
    assert.equal((await permission(newcomer.grant)).canPublishData, false);
    const stale = await connectWith(staleGrant);
    await waitUntil(
      async () => (await permission(staleGrant)).canPublishData === false,
      10_000,
      'the stale token brought in line',
    );
    await meet(teacher.p, staleGrant);
    assert.equal(await notHeard(teacher.p, stale, 'sneaky'), true);

    // Students stay participants (not observers) while chat is off: leader actions treat them as such.
    await ok(teacherUser, `/participants/${newcomer.grant.identity}/mute-video`);
    assert.deepEqual([...(await permission(newcomer.grant)).canPublishSources], ['microphone']);
    assert.equal((await permission(newcomer.grant)).canPublishData, false, 'a control keeps the chat switch');
    await waitUntil(
      async () =>
        (await fixture.store.participantEvents(newcomer.grant.room)).some(
          (e) => e.identity === newcomer.grant.identity && e.kind === 'joined',
        ),
      10_000,
      'the join webhook',
    );
    const joins = (await fixture.store.participantEvents(newcomer.grant.room)).filter((e) => e.kind === 'joined');
    assert.equal(joins.find((e) => e.identity === newcomer.grant.identity)?.role, 'participant');
    assert.equal(joins.find((e) => e.identity === observer.grant.identity)?.role, 'observer');

    await ok(teacherUser, '/chat-on');
    assert.equal((await permission(student.grant)).canPublishData, true);
    assert.equal((await permission(newcomer.grant)).canPublishData, true);
    assert.deepEqual([...(await permission(newcomer.grant)).canPublishSources], ['microphone'], 'mute kept');
    assert.equal((await permission(observer.grant)).canPublishData, false, 'observers never chat');
    assert.equal((await teacherUser.json('GET', '/room')).chatEnabled, true);
    assert.equal(videoGrant((await studentUser.joinGrant()).token).canPublishData, true);
    await waitUntil(async () => (await roomMetadata(student.grant.room)).chatEnabled === true, 10_000, 'metadata on');
    await say(student.p, 'back');
    await waitUntil(() => heard(teacher.p, student.grant.identity, 'back'), 10_000, 'the chat message again');

    const actions = (await fixture.audit.log(student.grant.room)).map((e) => e.action);
    assert.deepEqual(
      actions.filter((a) => a.startsWith('chat')),
      ['chat-off', 'chat-on'],
    );
  });

  it('turns the chat back on for the next class', async () => {
    const id = await activity();
    const teacherUser = await launch('instructor', id);
    const studentUser = await launch('student', id);
    await connect(teacherUser);
    await waitUntil(async () => (await teacherUser.json('GET', '/room')).state === 'live', 10_000, 'live session');
    await ok(teacherUser, '/chat-off');
    assert.equal((await teacherUser.json('GET', '/room')).chatEnabled, false);

    await ok(teacherUser, '/end');
    assert.equal((await teacherUser.json('GET', '/room')).chatEnabled, true);
    await connect(teacherUser);
    const next = await studentUser.joinGrant();
    assert.equal(videoGrant(next.token).canPublishData, true);
  });

  it('turns it back on when LiveKit closes the session (room_finished), not when one opens', async () => {
    const { store } = fixture;
    const key = `lc-chat-store-${process.pid}`;
    await store.ensure({
      key,
      owner: { kind: 'lti', platformId: 'p', deploymentId: 'd', resourceLinkId: `chat-${process.pid}` },
    });
    await store.change(key, { kind: 'chat', value: false });
    // Switched off before the class: the session that opens keeps it off.
    await store.openClassSession(key, undefined, new Date());
    assert.equal((await store.get(key))?.chatEnabled, false);
    await store.closeClassSession(key, new Date());
    assert.equal((await store.get(key))?.chatEnabled, true);
  });
});
