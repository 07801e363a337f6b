import assert from 'node:assert/strict';
import { LaunchedUser, TestParticipant, videoGrant, waitUntil } from '../support/room-client.js';
import { testGateway, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

async function serverTracks(env: TestEnvironment, student: TestParticipant, observer: TestParticipant) {
  const gateway = testGateway(env);
  const list = await gateway.listParticipants(student.room.name as string);
  const count = (identity?: string) => list.find((p) => p.identity === identity)?.tracks.length ?? -1;
  return {
    student: count(student.room.localParticipant?.identity),
    observer: count(observer.room.localParticipant?.identity),
  };
}

describe('joining a room: tokens, grants and real participants', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  const connected: TestParticipant[] = [];
  before(async () => {
    env = await useTestEnvironment();
  });
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((p) => p.disconnect()));
  });

  it('mints short-lived tokens with explicit least-privilege grants per role', async () => {
    const grants: Record<string, Record<string, any>> = {};
    for (const role of ['instructor', 'student', 'observer'] as const) {
      const user = await LaunchedUser.launch(env.tool.url, role);
      const grant = await user.joinGrant();
      assert.equal(grant.url, env.config.livekit.url);
      assert.match(grant.identity, /^u-[0-9a-f]{24}$/);
      const ttl = (Date.parse(grant.expiresAt) - Date.now()) / 1000;
      assert.ok(ttl > 500 && ttl <= 600, `ttl ${ttl}`);
      grants[role] = videoGrant(grant.token);
    }
    // No join token is a RoomService credential: leaders act through the tool.
    for (const g of Object.values(grants)) assert.equal(g.roomAdmin, false);
    assert.deepEqual(grants.instructor?.canPublishSources, [
      'camera',
      'microphone',
      'screen_share',
      'screen_share_audio',
    ]);
    assert.deepEqual(grants.student?.canPublishSources, ['camera', 'microphone']);
    // Names, metadata and attributes are the tool's: nobody renames themselves (hands go up through the tool).
    for (const g of Object.values(grants)) assert.equal(g.canUpdateOwnMetadata, false);
    assert.equal(grants.observer?.canPublish, false);
    assert.equal(grants.observer?.canPublishData, false);
    assert.equal(grants.observer?.canSubscribe, true);
    for (const g of Object.values(grants)) assert.equal(g.roomCreate, false, 'joiners never create rooms');
  });

  it('takes the token lifetime from config (rooms.tokenTtlSeconds), here in a second tool of this process', async () => {
    const short = await useTestEnvironment({ ROOM_TOKEN_TTL_SECONDS: '60' });
    assert.notEqual(short.tool.url, env.tool.url);
    assert.equal(short.config.rooms.tokenTtlSeconds, 60);
    assert.equal(await useTestEnvironment({ ROOM_TOKEN_TTL_SECONDS: '60' }), short, 'one tool per overrides');
    const teacher = await LaunchedUser.launch(short.tool.url, 'instructor');
    const grant = await teacher.joinGrant();
    const ttl = (Date.parse(grant.expiresAt) - Date.now()) / 1000;
    assert.ok(ttl > 50 && ttl <= 60, `ttl ${ttl}`);
    const exp = (
      JSON.parse(Buffer.from(grant.token.split('.')[1] as string, 'base64url').toString()) as { exp: number }
    ).exp;
    assert.ok(exp - Date.now() / 1000 <= 61, 'the JWT itself expires in a minute');
    // Same SFU and database: the default tool records the webhooks, so the second tool sees its session.
    connected.push(await TestParticipant.connect(grant));
    await waitUntil(async () => (await teacher.json('GET', '/room')).participantCount === 1, 10_000, 'join webhook');
  });

  it('puts every launch of the same activity in the same room', async () => {
    const a = await (await LaunchedUser.launch(env.tool.url, 'student')).joinGrant();
    const b = await (await LaunchedUser.launch(env.tool.url, 'instructor')).joinGrant();
    assert.equal(a.room, b.room);
    assert.notEqual(a.identity, b.identity);
  });

  it('lets a participant publish its microphone while the SFU refuses it to an observer', async () => {
    const student = await TestParticipant.connect(
      await (await LaunchedUser.launch(env.tool.url, 'student')).joinGrant(),
    );
    connected.push(student);
    assert.ok(await student.publishMicrophone());
    const observer = await TestParticipant.connect(
      await (await LaunchedUser.launch(env.tool.url, 'observer')).joinGrant(),
    );
    connected.push(observer);
    const refusal = await observer.publishMicrophone().then(
      () => 'published',
      (err: Error) => err.message,
    );
    assert.notEqual(refusal, 'published');
    // What counts is the SFU's view: the observer has no track, the student has one.
    const tracks = await serverTracks(env, student, observer);
    assert.deepEqual(tracks, { student: 1, observer: 0 });
  });

  it('records joins and leaves from LiveKit webhooks and tracks the live session', async () => {
    const teacher = await LaunchedUser.launch(env.tool.url, 'instructor');
    const p = await TestParticipant.connect(await teacher.joinGrant());
    connected.push(p);
    await waitUntil(async () => (await teacher.json('GET', '/room')).participantCount >= 1, 10_000, 'join webhook');
    const state = await teacher.json('GET', '/room');
    assert.equal(state.state, 'live');
    assert.match(state.sessionId, /^ses_/);
    // The launcher's first call shows the same room state.
    const me = await teacher.json('GET', '/me');
    assert.deepEqual(me.room, {
      state: 'live',
      locked: false,
      chatEnabled: true,
      sessionId: state.sessionId,
      startedAt: state.startedAt,
      participantCount: state.participantCount,
      // This stack runs no Egress: the Record button will say recording is not set up (docs/recordings.md).
      recording: { available: false, reason: 'off', auto: false },
    });
  });
});
