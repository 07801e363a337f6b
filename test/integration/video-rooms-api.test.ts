import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LiveKitGateway } from '../../src/livekit/gateway.js';
import { verifySignature } from '../../src/integrations/webhook-outbox.js';
import { createApiKey, fetchWithApiKey } from '../support/api-keys.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';
import { openTestDatabase, testGateway, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';
import { Receiver } from '../support/webhook-receiver.js';

type Json = Record<string, any>;

/** The video-rooms API (docs/integrator-api.md#video-rooms): rooms, tokens, sessions, participants. */
describe('integrator API, video rooms: rooms, tokens, sessions, participants', function () {
  this.timeout(90_000);
  let env: TestEnvironment;
  let sfu: LiveKitGateway;
  let apiKey: string;
  const connected: TestParticipant[] = [];
  const receiver = new Receiver();

  before(async () => {
    env = await useTestEnvironment();
    sfu = testGateway(env);
    apiKey = (await createApiKey(env, 'video-room tests')).key;
    await receiver.start();
  });
  after(() => receiver.stop());
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((p) => p.disconnect()));
  });

  async function call(method: string, route: string, body?: unknown, key: string | null = apiKey) {
    const res = await fetchWithApiKey(`${env.tool.url}/api/v1${route}`, method, key, body);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
  }
  const follow = async (url: string) => {
    const res = await fetch(url.replace(env.config.server.publicUrl, env.tool.url), { redirect: 'manual' });
    const match = /^\/launch#token=(.+)$/.exec(res.headers.get('location') ?? '');
    assert.ok(match, `redirect to the launcher, got ${res.status}`);
    return new LaunchedUser(env.tool.url, decodeURIComponent(match[1] as string));
  };
  const newName = () => `maths-${randomUUID().slice(0, 8)}`;
  const createRoom = async (body: Json = {}) => {
    const created = await call('POST', '/rooms', { name: newName(), ...body });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  /** Someone in the room on the SFU, through a token of the API. */
  const join = async (roomId: string, user: Json, publish = true) => {
    const token = await call('POST', `/rooms/${roomId}/tokens`, { user });
    assert.equal(token.status, 201, JSON.stringify(token.body));
    const launched = await follow(token.body.join_url);
    const p = await TestParticipant.connect(await launched.joinGrant());
    connected.push(p);
    if (publish) {
      await p.publishMicrophone();
      await p.publishCamera();
    }
    return { identity: token.body.user_id as string, launched, participant: p };
  };
  const onSfu = async (roomKey: string) => new Map((await sfu.listParticipants(roomKey)).map((p) => [p.identity, p]));

  it('creates a room (201, once per name: 409), reads, changes and lists it', async () => {
    const name = newName();
    const created = await call('POST', '/rooms', {
      name,
      title: 'Algebra',
      max_participants: 12,
      recording: true,
      webhook_url: 'http://127.0.0.1:9/hooks',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const room = created.body;
    assert.match(room.room_id, /\S/);
    assert.deepEqual(
      { ...room, room_id: undefined, created_at: undefined, updated_at: undefined, webhook_secret: undefined },
      {
        room_id: undefined,
        name,
        title: 'Algebra',
        max_participants: 12,
        recording: true,
        recording_retention_days: null,
        stream_target: null,
        webhook_url: 'http://127.0.0.1:9/hooks',
        status: 'idle',
        version: 1,
        session_id: null,
        created_at: undefined,
        updated_at: undefined,
        deleted_at: null,
        webhook_secret: undefined,
      },
    );
    assert.match(room.webhook_secret, /^whsec_/);
    const again = await call('POST', '/rooms', { name, title: 'Other' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'SPACE_EXISTS');

    const read = await call('GET', `/rooms/${room.room_id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.webhook_secret, undefined, 'the secret is shown once');
    assert.equal(read.body.title, 'Algebra');

    const changed = await call('PATCH', `/rooms/${room.room_id}`, { title: 'Algebra II', webhook_url: null });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.version, 2);
    assert.equal(changed.body.title, 'Algebra II');
    assert.equal(changed.body.max_participants, 12, 'unchanged fields stay');
    assert.equal(changed.body.webhook_url, null);

    // The launcher sees the changed settings: the space follows the latest version.
    const token = await call('POST', `/rooms/${room.room_id}/tokens`, {
      user: { id: 't1', name: 'Tess', role: 'instructor' },
    });
    const me = await (await follow(token.body.join_url)).json('GET', '/me');
    assert.equal(me.activity.settings.title, 'Algebra II');
    assert.equal(me.activity.settings.maxParticipants, 12);
    assert.equal(me.user.role, 'instructor');

    // How long its recordings are kept: at most the tool's retention, null for the tool's own.
    const kept = await call('PATCH', `/rooms/${room.room_id}`, { recording_retention_days: 30 });
    assert.equal(kept.status, 200, JSON.stringify(kept.body));
    assert.deepEqual([kept.body.recording_retention_days, kept.body.recording], [30, true]);
    const tooLong = await call('PATCH', `/rooms/${room.room_id}`, { recording_retention_days: 3650 });
    assert.deepEqual(
      [tooLong.status, tooLong.body.error.code, tooLong.body.error.details.fields[0].path],
      [400, 'VALIDATION_FAILED', 'recording_retention_days'],
    );
    const zero = await call('PATCH', `/rooms/${room.room_id}`, { recording_retention_days: 0 });
    assert.equal(zero.status, 400);
    const cleared = await call('PATCH', `/rooms/${room.room_id}`, { recording_retention_days: null });
    assert.deepEqual([cleared.body.recording_retention_days, cleared.body.recording], [null, true]);
    const created7 = await call('POST', '/rooms', { name: newName(), recording_retention_days: 7 });
    assert.deepEqual([created7.status, created7.body.recording_retention_days], [201, 7]);
    const createdLong = await call('POST', '/rooms', { name: newName(), recording_retention_days: 3650 });
    assert.equal(createdLong.status, 400, JSON.stringify(createdLong.body));

    // A default stream target: a secret, shown back masked, in the launcher too; null removes it.
    const streamKey = 'sk_live_0123456789abcdef';
    const streamed = await call('PATCH', `/rooms/${room.room_id}`, {
      stream_url: `rtmps://live.test/app/${streamKey}`,
    });
    assert.equal(streamed.status, 200, JSON.stringify(streamed.body));
    assert.equal(streamed.body.stream_target, 'rtmps://live.test/app/****cdef');
    const teacherToken = await call('POST', `/rooms/${room.room_id}/tokens`, {
      user: { id: 't2', name: 'Theo', role: 'instructor' },
    });
    const seen = await (await follow(teacherToken.body.join_url)).json('GET', '/me');
    assert.equal(seen.activity.settings.recording.streamUrl, 'rtmps://live.test/app/****cdef');
    assert.ok(
      !JSON.stringify([streamed.body, seen, (await call('GET', `/rooms/${room.room_id}`)).body]).includes(streamKey),
    );
    // Sealed at rest: no activity in the store holds the key in the clear, and the sealed one is there.
    const db = await openTestDatabase(env);
    try {
      const stored = JSON.stringify(await db.connection.collection('activities').find({}).toArray());
      assert.ok(!stored.includes(streamKey), 'the stream key is not stored in the clear');
      assert.match(stored, /"streamUrl":"sealed:v1:/);
    } finally {
      await db.close();
    }
    for (const bad of ['http://live.test/app/key', 'rtmp://user:pass@live.test/app/key', 'not a url']) {
      const refused = await call('PATCH', `/rooms/${room.room_id}`, { stream_url: bad });
      assert.equal(refused.status, 400, bad);
      assert.ok(!JSON.stringify(refused.body).includes('pass@'), 'the refusal does not quote it');
    }
    const unstreamed = await call('PATCH', `/rooms/${room.room_id}`, { stream_url: null });
    assert.equal(unstreamed.body.stream_target, null);

    // Same API as the other integrator routes: the room's status answers for the same room_id.
    assert.equal((await call('GET', `/rooms/${room.room_id}/status`)).status, 200);
  });

  it('keeps every one of concurrent changes to different settings (versions by unique insert)', async () => {
    const room = await createRoom({ title: 'Start', max_participants: 10, recording: false });
    const answers = await Promise.all([
      call('PATCH', `/rooms/${room.room_id}`, { title: 'Concurrent' }),
      call('PATCH', `/rooms/${room.room_id}`, { max_participants: 40 }),
      call('PATCH', `/rooms/${room.room_id}`, { recording: true }),
      call('PATCH', `/rooms/${room.room_id}`, { webhook_url: 'http://127.0.0.1:9/other' }),
    ]);
    for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.deepEqual(answers.map((a) => a.body.version).sort(), [2, 3, 4, 5]);
    const final = (await call('GET', `/rooms/${room.room_id}`)).body;
    assert.equal(final.version, 5);
    assert.deepEqual(
      [final.title, final.max_participants, final.recording, final.webhook_url],
      ['Concurrent', 40, true, 'http://127.0.0.1:9/other'],
    );
  });

  it('pages rooms by cursor, newest first, and filters by name, status and creation time', async () => {
    const key = (await createApiKey(env, 'video-room paging')).key;
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const name = newName();
      names.push(name);
      assert.equal((await call('POST', '/rooms', { name }, key)).status, 201);
    }
    const first = await call('GET', '/rooms?limit=2', undefined, key);
    assert.equal(first.status, 200);
    assert.deepEqual(
      first.body.rooms.map((r: Json) => r.name),
      [names[2], names[1]],
    );
    assert.ok(first.body.next_cursor);
    const second = await call('GET', `/rooms?limit=2&cursor=${first.body.next_cursor}`, undefined, key);
    assert.deepEqual(
      second.body.rooms.map((r: Json) => r.name),
      [names[0]],
    );
    assert.equal(second.body.next_cursor, null);
    const byName = await call('GET', `/rooms?name=${names[1]}`, undefined, key);
    assert.deepEqual(
      byName.body.rooms.map((r: Json) => r.name),
      [names[1]],
    );
    assert.equal((await call('GET', '/rooms?status=live', undefined, key)).body.rooms.length, 0);
    assert.equal((await call('GET', '/rooms?status=idle', undefined, key)).body.rooms.length, 3);
    const future = new Date(Date.now() + 60_000).toISOString();
    assert.equal((await call('GET', `/rooms?created_after=${future}`, undefined, key)).body.rooms.length, 0);
    assert.equal((await call('GET', `/rooms?created_before=${future}`, undefined, key)).body.rooms.length, 3);
  });

  it('answers bad input 400 with a code, a wrong key 401, another key’s room or session 404', async () => {
    const room = await createRoom();
    const bad: Array<[string, string, unknown, string]> = [
      ['POST', '/rooms', { name: 'bad name!' }, 'name'],
      ['POST', '/rooms', { name: 'ok', max_participants: 1 }, 'max_participants'],
      ['POST', '/rooms', { name: 'ok', webhook_url: 'ftp://x' }, 'webhook_url'],
      ['POST', '/rooms', { name: 'ok', extra: 1 }, ''],
      ['PATCH', `/rooms/${room.room_id}`, {}, ''],
      ['POST', `/rooms/${room.room_id}/tokens`, { user: { id: 'u', name: 'U' }, ttl_seconds: 5 }, 'ttl_seconds'],
      ['POST', `/rooms/${room.room_id}/tokens`, { user: { id: 'u', name: 'U', role: 'admin' } }, 'user.role'],
      ['POST', '/tokens/refresh', {}, 'refresh_token'],
    ];
    for (const [method, route, body, field] of bad) {
      const res = await call(method, route, body);
      assert.equal(res.status, 400, `${method} ${route} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      if (field) assert.ok(JSON.stringify(res.body.error.details).includes(field), field);
    }
    for (const query of ['limit=0', 'status=gone', 'cursor=nope', 'created_after=yesterday']) {
      assert.equal((await call('GET', `/rooms?${query}`)).status, 400, query);
    }
    assert.equal((await call('GET', '/participants')).body.error.code, 'VIDEO_PARTICIPANTS_SCOPE');
    assert.equal((await call('POST', '/sessions/ses_x/participants/shout', {})).body.error.code, 'VALIDATION_FAILED');

    assert.equal((await call('GET', '/rooms', undefined, null)).status, 401);
    assert.equal((await call('GET', '/rooms', undefined, 'lck_wrong')).body.error.code, 'API_KEY_INVALID');
    const organisation = await fetch(`${env.tool.url}/api/v1/rooms/${room.room_id}`, {
      headers: { authorization: `Organisation ${apiKey}` },
    });
    assert.equal(organisation.status, 200, 'Lessonspace style key header');

    const other = (await createApiKey(env, 'another integrator')).key;
    for (const [method, route, body] of [
      ['GET', `/rooms/${room.room_id}`, undefined],
      ['PATCH', `/rooms/${room.room_id}`, { title: 'Mine now' }],
      ['DELETE', `/rooms/${room.room_id}`, undefined],
      ['POST', `/rooms/${room.room_id}/tokens`, { user: { id: 'x', name: 'X' } }],
      ['GET', `/participants?room_id=${room.room_id}`, undefined],
    ] as const) {
      const res = await call(method, route, body, other);
      assert.equal(res.status, 404, `${method} ${route}`);
      assert.equal(res.body.error.code, 'SPACE_ROOM_NOT_FOUND');
    }
    for (const route of ['/sessions/ses_unknown', '/sessions/ses_unknown/end']) {
      const res = await call(route.endsWith('end') ? 'POST' : 'GET', route);
      assert.equal(res.status, 404, route);
      assert.equal(res.body.error.code, 'VIDEO_SESSION_NOT_FOUND');
    }
  });

  it('refreshes a token once: a used, foreign or made-up refresh token is refused', async () => {
    const room = await createRoom();
    const first = await call('POST', `/rooms/${room.room_id}/tokens`, {
      user: { id: 'learner-1', name: 'Lin', role: 'participant' },
      ttl_seconds: 120,
    });
    assert.equal(first.status, 201);
    const t = first.body;
    assert.match(t.refresh_token, /^rt_/);
    assert.ok(t.join_url.endsWith(`?t=${t.token}`));
    const ttl = Date.parse(t.expires_at) - Date.now();
    assert.ok(ttl > 100_000 && ttl <= 120_000, `ttl ${ttl}`);

    const other = (await createApiKey(env, 'refresh thief')).key;
    assert.equal((await call('POST', '/tokens/refresh', { refresh_token: t.refresh_token }, other)).status, 401);

    // Two at once: exactly one gets a new pair.
    const [a, b] = await Promise.all([
      call('POST', '/tokens/refresh', { refresh_token: t.refresh_token }),
      call('POST', '/tokens/refresh', { refresh_token: t.refresh_token }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [201, 401]);
    const won = a.status === 201 ? a.body : b.body;
    const lost = a.status === 201 ? b.body : a.body;
    assert.equal(lost.error.code, 'VIDEO_REFRESH_INVALID');
    assert.equal(won.user_id, t.user_id);
    assert.notEqual(won.token, t.token);
    assert.notEqual(won.refresh_token, t.refresh_token);
    const me = await (await follow(won.join_url)).json('GET', '/me');
    assert.equal(me.user.name, 'Lin');

    const used = await call('POST', '/tokens/refresh', { refresh_token: t.refresh_token });
    assert.equal(used.status, 401);
    assert.equal(used.body.error.code, 'VIDEO_REFRESH_INVALID');
    assert.equal((await call('POST', '/tokens/refresh', { refresh_token: `rt_${'A'.repeat(43)}` })).status, 401);
    // The new refresh token works once too.
    assert.equal((await call('POST', '/tokens/refresh', { refresh_token: won.refresh_token })).status, 201);
  });

  it('mutes all but an exclusion, kicks a list, and ends the session for everyone, on the SFU', async () => {
    const room = await createRoom({ title: 'Live' });
    const teacher = await join(room.room_id, { id: 'teach', name: 'Teach', role: 'instructor' }, false);
    const s1 = await join(room.room_id, { id: 'stud-1', name: 'Sam' });
    const s2 = await join(room.room_id, { id: 'stud-2', name: 'Sue' });
    await waitUntil(
      async () => (await call('GET', `/rooms/${room.room_id}`)).body.status === 'live',
      10_000,
      'the room live',
    );
    const live = (await call('GET', `/rooms/${room.room_id}`)).body;
    const sessionId = live.session_id as string;
    assert.match(sessionId, /^ses_/);
    const session = await call('GET', `/sessions/${sessionId}`);
    assert.equal(session.status, 200);
    assert.equal(session.body.status, 'live');
    assert.equal(session.body.room_id, room.room_id);

    const muted = await call('POST', `/sessions/${sessionId}/participants/mute`, {
      exclude: [s2.identity, teacher.identity],
      kinds: ['audio'],
    });
    assert.equal(muted.status, 200, JSON.stringify(muted.body));
    assert.deepEqual(muted.body.participants, [s1.identity]);
    const liveMics = async (identity: string) =>
      (await onSfu(room.room_id)).get(identity)?.tracks.filter((t) => t.source === 'microphone' && !t.muted).length;
    await waitUntil(async () => (await liveMics(s1.identity)) === 0, 10_000, 'no live microphone of s1');
    let people = await onSfu(room.room_id);
    assert.deepEqual(people.get(s1.identity)?.permission?.canPublishSources, ['camera']);
    assert.deepEqual([...(people.get(s2.identity)?.permission?.canPublishSources ?? [])].sort(), [
      'camera',
      'microphone',
    ]);
    assert.equal(await liveMics(s2.identity), 1, 'the excluded one keeps a live microphone');
    // The SFU refuses what the permission no longer allows: s1 cannot publish a new microphone.
    await assert.rejects(s1.participant.publishMicrophone());

    const unmuted = await call('POST', `/sessions/${sessionId}/participants/unmute`, { participants: [s1.identity] });
    assert.deepEqual(unmuted.body.participants, [s1.identity]);
    people = await onSfu(room.room_id);
    assert.deepEqual([...(people.get(s1.identity)?.permission?.canPublishSources ?? [])].sort(), [
      'camera',
      'microphone',
    ]);

    const kicked = await call('POST', `/sessions/${sessionId}/participants/kick`, {
      participants: [s1.identity, s2.identity],
      exclude: [s2.identity],
    });
    assert.deepEqual(kicked.body.participants, [s1.identity]);
    await waitUntil(() => s1.participant.disconnected, 10_000, 'the kicked one disconnected');
    people = await onSfu(room.room_id);
    assert.ok(!people.has(s1.identity));
    assert.ok(people.has(s2.identity) && people.has(teacher.identity));
    // Removed is removed from the session: no new join token.
    assert.equal((await s1.launched.request('POST', '/room/token')).status, 403);

    const found = await call('GET', `/participants?session_id=${sessionId}&user_id=${s2.identity}`);
    assert.equal(found.status, 200);
    assert.deepEqual(
      found.body.participants.map((p: Json) => [p.user_id, p.session_id, p.name]),
      [[s2.identity, sessionId, 'Sue']],
    );

    const ended = await call('POST', `/sessions/${sessionId}/end`);
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    assert.equal(ended.body.status, 'ended');
    await waitUntil(
      () => s2.participant.disconnected && teacher.participant.disconnected,
      10_000,
      'everyone disconnected',
    );
    assert.equal((await call('POST', `/sessions/${sessionId}/end`)).body.error.code, 'VIDEO_SESSION_ENDED');
    const after = await call('POST', `/sessions/${sessionId}/participants/mute`, {});
    assert.equal(after.status, 409);
    assert.equal(after.body.error.code, 'VIDEO_SESSION_ENDED');
    assert.equal((await call('GET', `/sessions/${sessionId}`)).body.status, 'ended');

    // Participants from the attendance facts: all four who came, searched by the room and joined time.
    const all = await call('GET', `/participants?room_id=${room.room_id}&limit=2`);
    assert.equal(all.body.participants.length, 2);
    const rest = await call('GET', `/participants?room_id=${room.room_id}&limit=2&cursor=${all.body.next_cursor}`);
    const everyone = [...all.body.participants, ...rest.body.participants].map((p: Json) => p.user_id).sort();
    assert.deepEqual(everyone, [teacher.identity, s1.identity, s2.identity].sort());
    assert.equal(rest.body.next_cursor, null);
    const later = new Date(Date.now() + 60_000).toISOString();
    assert.equal(
      (await call('GET', `/participants?room_id=${room.room_id}&joined_after=${later}`)).body.participants.length,
      0,
    );
    const leftBy = await call('GET', `/participants?room_id=${room.room_id}&left_before=${later}`);
    assert.equal(leftBy.body.participants.length, 3);
  });

  it("searches participants by user across the key's rooms and by time window alone, paged; a bad window is 400", async () => {
    const own = (await createApiKey(env, 'participant search')).key;
    const mine = async (route: string) => call('GET', route, undefined, own);
    const roomIn = async () => {
      const created = await call('POST', '/rooms', { name: newName() }, own);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body.room_id as string;
    };
    const joinWith = async (roomId: string, user: Json) => {
      const token = await call('POST', `/rooms/${roomId}/tokens`, { user }, own);
      assert.equal(token.status, 201, JSON.stringify(token.body));
      connected.push(await TestParticipant.connect(await (await follow(token.body.join_url)).joinGrant()));
      return token.body.user_id as string;
    };
    const since = new Date(Date.now() - 1_000).toISOString();
    const [a, b] = [await roomIn(), await roomIn()];
    const wanderer = await joinWith(a, { id: 'wanderer', name: 'Wen' });
    assert.equal(await joinWith(b, { id: 'wanderer', name: 'Wen' }), wanderer, "one user_id in all the key's rooms");
    const other = await joinWith(b, { id: 'other', name: 'Oz' });
    const rows = (res: { body: Json }) =>
      (res.body.participants as Json[]).map((p) => `${p.room_id as string} ${p.user_id as string}`).sort();
    await waitUntil(
      async () => rows(await mine(`/participants?user_id=${wanderer}`)).length === 2,
      15_000,
      'both joins of the user recorded',
    );
    assert.deepEqual(
      rows(await mine(`/participants?user_id=${wanderer}`)),
      [`${a} ${wanderer}`, `${b} ${wanderer}`].sort(),
    );
    await waitUntil(
      async () => rows(await mine(`/participants?joined_after=${since}`)).length === 3,
      15_000,
      'every join in the window',
    );
    assert.deepEqual(
      rows(await mine(`/participants?joined_after=${since}`)),
      [`${a} ${wanderer}`, `${b} ${wanderer}`, `${b} ${other}`].sort(),
    );
    // Paged by cursor: two, then the last one.
    const first = await mine(`/participants?joined_after=${since}&limit=2`);
    assert.equal(first.body.participants.length, 2);
    assert.ok(first.body.next_cursor);
    const second = await mine(`/participants?joined_after=${since}&limit=2&cursor=${first.body.next_cursor as string}`);
    assert.equal(second.body.participants.length, 1);
    assert.equal(second.body.next_cursor, null);
    assert.equal(new Set([...rows(first), ...rows(second)]).size, 3);
    // A window before anyone came finds nobody; another key finds none of these.
    assert.deepEqual(rows(await mine(`/participants?joined_before=${since}`)), []);
    assert.deepEqual(rows(await call('GET', `/participants?user_id=${wanderer}`)), []);
    assert.deepEqual(
      rows(await call('GET', `/participants?joined_after=${since}`)).filter((r) => r.includes(wanderer)),
      [],
    );

    const now = Date.now();
    const at = (ms: number) => new Date(ms).toISOString();
    for (const route of [
      `/participants?joined_after=${at(now)}&joined_before=${at(now - 60_000)}`,
      `/participants?left_after=${at(now)}&left_before=${at(now - 1)}`,
      `/participants?joined_after=${at(now - 40 * 86_400_000)}`,
      `/participants?joined_after=${at(now - 40 * 86_400_000)}&joined_before=${at(now)}`,
    ]) {
      const res = await mine(route);
      assert.deepEqual([res.status, res.body.error?.code], [400, 'VIDEO_PARTICIPANTS_WINDOW'], route);
    }
    // A user's search has no span limit (their facts are few); a room's neither.
    assert.equal(
      (await mine(`/participants?user_id=${wanderer}&joined_after=${at(now - 40 * 86_400_000)}`)).status,
      200,
    );
  });

  it('deletes a room: its live session ends, its launchers are refused, its attendance stays', async () => {
    const room = await createRoom({ title: 'Deleted soon' });
    const s = await join(room.room_id, { id: 'stud-d', name: 'Dee' }, false);
    await waitUntil(
      async () => (await call('GET', `/rooms/${room.room_id}`)).body.status === 'live',
      10_000,
      'the room live',
    );
    const sessionId = (await call('GET', `/rooms/${room.room_id}`)).body.session_id as string;
    assert.equal((await call('DELETE', `/rooms/${room.room_id}`)).status, 204);
    await waitUntil(() => s.participant.disconnected, 10_000, 'disconnected by the deletion');
    const gone = await call('GET', `/rooms/${room.room_id}`);
    assert.equal(gone.body.status, 'deleted');
    assert.ok(Date.parse(gone.body.deleted_at) <= Date.now());
    assert.equal((await call('DELETE', `/rooms/${room.room_id}`)).status, 204, 'deleting again is harmless');

    const token = await call('POST', `/rooms/${room.room_id}/tokens`, { user: { id: 'late', name: 'Late' } });
    assert.equal(token.status, 410);
    assert.equal(token.body.error.code, 'VIDEO_ROOM_DELETED');
    assert.equal((await call('PATCH', `/rooms/${room.room_id}`, { title: 'Back' })).status, 410);
    const me = await s.launched.request('GET', '/me');
    assert.equal(me.status, 401);
    assert.equal(((await me.json()) as Json).error.code, 'SESSION_REVOKED');
    assert.equal(
      (await call('GET', '/rooms?status=deleted')).body.rooms.some((r: Json) => r.name === room.name),
      true,
    );

    const people = await call('GET', `/participants?session_id=${sessionId}`);
    assert.equal(people.status, 200);
    assert.deepEqual(
      people.body.participants.map((p: Json) => p.user_id),
      [s.identity],
    );
    assert.equal((await call('GET', `/rooms/${room.room_id}/sessions`)).body.sessions[0].session_id, sessionId);
  });

  it("delivers the room's events to its webhook_url, signed with its secret, and to a changed URL after a PATCH", async () => {
    const room = await createRoom({ webhook_url: `${receiver.url}/first` });
    const secret = room.webhook_secret as string;
    const a = await join(room.room_id, { id: 'hook-1', name: 'Hana' }, false);
    await waitUntil(() => receiver.on('/first', 'participant.joined').length > 0, 15_000, 'participant.joined');
    const joined = receiver.on('/first', 'participant.joined')[0];
    const signature = String(joined?.headers['x-liveclass-signature']);
    assert.ok(verifySignature(secret, joined?.body ?? '', signature, Math.floor(Date.now() / 1000)), 'signed');
    assert.equal(joined?.payload.room_id, room.room_id);

    await call('PATCH', `/rooms/${room.room_id}`, { webhook_url: `${receiver.url}/second` });
    await a.participant.disconnect();
    await waitUntil(() => receiver.on('/second', 'participant.left').length > 0, 15_000, 'participant.left');
    assert.equal(receiver.on('/first', 'participant.left').length, 0, 'the old URL hears no more');
  });

  it('does not offer compositions of a finished session, and says why (501)', async () => {
    const res = await call('POST', '/compositions', { session_id: 'ses_any' });
    assert.equal(res.status, 501);
    assert.equal(res.body.error.code, 'VIDEO_COMPOSITION_UNSUPPORTED');
  });

  it('limits participant searches per API key (429 RATE_LIMITED with Retry-After); another key has its own', async () => {
    const limited = await useTestEnvironment({ INTEGRATOR_SEARCH_RATE_LIMIT: '2', LOG_LEVEL: 'error' });
    const search = (key: string) =>
      fetch(`${limited.tool.url}/api/v1/participants?user_id=nobody`, { headers: { 'x-api-key': key } });
    assert.equal((await search(apiKey)).status, 200);
    assert.equal((await search(apiKey)).status, 200);
    const refused = await search(apiKey);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(((await refused.json()) as Json).error.code, 'RATE_LIMITED');
    // Other reads are not counted against it.
    const rooms = await fetch(`${limited.tool.url}/api/v1/rooms`, { headers: { 'x-api-key': apiKey } });
    assert.equal(rooms.status, 200);
    const other = await createApiKey(env, 'second search budget');
    assert.equal((await search(other.key)).status, 200);
  });
});
