import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RemoteTrackPublication } from '@livekit/rtc-node';
import { type Database } from '../../src/db/connection.js';
import { verifySignature } from '../../src/integrations/webhook-outbox.js';
import { createApiKey, fetchWithApiKey } from '../support/api-keys.js';
import { LaunchedUser, TestParticipant, videoGrant, waitUntil, type Grant } from '../support/room-client.js';
import { openTestDatabase, testGateway, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';
import { Receiver } from '../support/webhook-receiver.js';
import type { LiveKitGateway } from '../../src/livekit/gateway.js';

/** The room-session controls over /api/v1, proved on real participants of the real SFU. */
describe('integrator API: room-session controls (members, deaf, remove-all, layout, metadata, webhooks)', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let db: Database;
  let sfu: LiveKitGateway;
  let apiKey: string;
  const receiver = new Receiver();
  const connected: TestParticipant[] = [];

  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
    sfu = testGateway(env);
    await receiver.start();
    apiKey = (await createApiKey(env, 'room-session tests')).key;
  });
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((p) => p.disconnect()));
  });
  after(async () => {
    await receiver.stop();
    await db.close();
  });

  const v1 = async (method: string, route: string, body?: unknown, key: string | null = apiKey) => {
    const res = await fetchWithApiKey(`${env.tool.url}/api/v1${route}`, method, key, body);
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, any>) : undefined;
    return { status: res.status, body: json, code: json?.error?.code as string | undefined };
  };
  async function launch(id: string, user: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const res = await v1('POST', '/spaces/launch', { id, user, ...extra });
    assert.ok(res.status === 200 || res.status === 201, JSON.stringify(res.body));
    return res.body as { client_url: string; room_id: string; user_id: string; webhook_secret?: string };
  }
  /** Follows the join link like a browser, then asks for a join grant as the launcher would. */
  async function userOf(clientUrl: string): Promise<LaunchedUser> {
    const res = await fetch(clientUrl.replace(env.config.server.publicUrl, env.tool.url), { redirect: 'manual' });
    const match = /^\/launch#token=(.+)$/.exec(res.headers.get('location') ?? '');
    assert.ok(match, 'redirect to the launcher');
    return new LaunchedUser(env.tool.url, decodeURIComponent(match[1] as string));
  }
  const listed = async (room: string) => (await sfu.listParticipants(room).catch(() => [])).map((p) => p.identity);
  async function join(clientUrl: string): Promise<{ p: TestParticipant; grant: Grant; user: LaunchedUser }> {
    const user = await userOf(clientUrl);
    const grant = await user.joinGrant();
    const p = await TestParticipant.connect(grant);
    connected.push(p);
    await waitUntil(async () => (await listed(grant.room)).includes(grant.identity), 10_000, 'on the SFU');
    return { p, grant, user };
  }
  /** A space with a leader and `students` students, all connected. */
  async function liveSpace(students: number, extra: Record<string, unknown> = {}) {
    const id = `space-${randomUUID().slice(0, 8)}`;
    const host = await launch(id, { id: 'ext-host', name: 'Host', leader: true }, extra);
    const leader = await join(host.client_url);
    const people = [];
    for (let i = 0; i < students; i++) {
      const s = await launch(id, { id: `ext-s${i}`, name: `Student ${i}`, role: 'student' });
      people.push({ ...(await join(s.client_url)), userId: s.user_id });
    }
    return { id, roomId: host.room_id, host, leader, people };
  }
  const audioOf = (p: TestParticipant, from: string): RemoteTrackPublication | undefined =>
    [...(p.room.remoteParticipants.get(from)?.trackPublications.values() ?? [])][0];

  it('deafens a member: the SFU refuses their subscriptions, the next token too; undeaf allows them again', async () => {
    const { roomId, people } = await liveSpace(2);
    const [speaker, listener] = people as [(typeof people)[0], (typeof people)[0]];
    await speaker.p.publishMicrophone({ tone: true });
    await waitUntil(() => audioOf(listener.p, speaker.grant.identity) !== undefined, 20_000, 'the track announced');
    const subscribe = () => audioOf(listener.p, speaker.grant.identity)?.setSubscribed(true);
    const subscribed = () => audioOf(listener.p, speaker.grant.identity)?.subscribed === true;
    assert.equal((await v1('POST', `/rooms/${roomId}/members/${listener.userId}/deaf`)).status, 204);
    const onSfu = async () => (await sfu.listParticipants(roomId)).find((p) => p.identity === listener.userId);
    assert.equal((await onSfu())?.permission?.canSubscribe, false);
    assert.equal((await onSfu())?.attributes.deaf, 'true', 'the page can say why');
    subscribe();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(subscribed(), false, 'a new subscription is refused');
    const again = await listener.user.joinGrant();
    assert.equal(videoGrant(again.token).canSubscribe, false, 'the next token is deaf too');

    const members = (await v1('GET', `/rooms/${roomId}/members`)).body as any;
    const entry = members.members.find((m: any) => m.user_id === listener.userId);
    assert.equal(entry.deaf, true);
    assert.equal(entry.role, 'participant');

    assert.equal((await v1('POST', `/rooms/${roomId}/members/${listener.userId}/undeaf`)).status, 204);
    await waitUntil(async () => (await onSfu())?.permission?.canSubscribe === true, 10_000, 'allowed again');
    // Asked again on every look: an ask that reaches the SFU before the permission does is dropped, not queued.
    await waitUntil(
      () => {
        if (!subscribed()) subscribe();
        return subscribed();
      },
      20_000,
      'subscribed after undeaf',
    );
    const audit = await db.connection
      .collection('room_audit')
      .find({ roomKey: roomId, target: listener.userId })
      // The store's natural order is not the insertion order (FerretDB).
      .sort({ at: 1 })
      .toArray();
    assert.deepEqual(
      audit.map((a) => [a.action, String(a.actor).startsWith('api-key:')]),
      [
        ['deaf', true],
        ['undeaf', true],
      ],
    );
  });

  it('deaf ends what the member already hears: the SFU stops forwarding it, and forwards it again after undeaf', async () => {
    const { roomId, people } = await liveSpace(2);
    const [speaker, listener] = people as [(typeof people)[0], (typeof people)[0]];
    await speaker.p.publishMicrophone({ tone: true });
    await waitUntil(() => audioOf(listener.p, speaker.grant.identity) !== undefined, 20_000, 'the track announced');
    const subscribe = () => audioOf(listener.p, speaker.grant.identity)?.setSubscribed(true);
    const subscribed = () => audioOf(listener.p, speaker.grant.identity)?.subscribed === true;
    const heard = () => listener.p.heard.get(speaker.grant.identity) ?? 0;
    subscribe();
    await waitUntil(() => heard() > 50, 20_000, 'the tone heard');

    assert.equal((await v1('POST', `/rooms/${roomId}/members/${listener.userId}/deaf`)).status, 204);
    // The stream may still drain a few frames the SFU sent before the permission changed.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = heard();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(heard(), before, 'no sound reaches the deafened member');
    assert.equal(subscribed(), true, 'the member did not unsubscribe: the SFU stopped forwarding');

    // The SFU resumes the subscriptions the member still wants: their page asks for nothing.
    assert.equal((await v1('POST', `/rooms/${roomId}/members/${listener.userId}/undeaf`)).status, 204);
    await waitUntil(() => heard() > before + 50, 20_000, 'the tone heard again after undeaf');
  });

  it('removes everyone but the excluded (and the leaders): only they remain on the SFU', async () => {
    const { roomId, leader, people } = await liveSpace(3);
    const kept = people[2]!;
    const res = await v1('POST', `/rooms/${roomId}/remove-all`, { exclude: [kept.userId] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([...(res.body?.affected as string[])].sort(), [people[0]!.userId, people[1]!.userId].sort());
    await waitUntil(async () => (await listed(roomId)).length === 2, 10_000, 'the removed gone');
    assert.deepEqual((await listed(roomId)).sort(), [leader.grant.identity, kept.grant.identity].sort());
    const back = await people[0]!.user.request('POST', '/room/token');
    assert.equal(((await back.json()) as any).error.code, 'ROOM_PARTICIPANT_REMOVED');
    // Named participants and nobody left to act on.
    const none = await v1('POST', `/rooms/${roomId}/mute-all`, { participants: [kept.userId], exclude: [kept.userId] });
    assert.deepEqual([none.status, none.code], [409, 'ROOM_NO_TARGETS']);
    const muted = await v1('POST', `/rooms/${roomId}/mute-all-video`, { participants: [kept.userId] });
    assert.deepEqual(muted.body, { affected: [kept.userId] });
  });

  it('sets the layout and room and member metadata, stored and written to the SFU by the tool', async () => {
    const { roomId, people } = await liveSpace(1);
    const member = people[0]!;
    const roomMeta = async () => JSON.parse((await sfu.listRooms([roomId]))[0]?.metadata ?? '{}');

    const layout = await v1('PUT', `/rooms/${roomId}/layout`, { mode: 'speaker', raised_hands_first: true });
    assert.deepEqual(layout.body, { mode: 'speaker', hide_camera_off: false, raised_hands_first: true, locked: false });
    assert.deepEqual((await v1('GET', `/rooms/${roomId}/layout`)).body, layout.body);
    assert.deepEqual((await roomMeta()).layout, {
      mode: 'speaker',
      hideCameraOff: false,
      raisedHandsFirst: true,
      locked: false,
    });

    assert.deepEqual((await v1('PUT', `/rooms/${roomId}/metadata`, { topic: 'Fractions', level: '3' })).body, {
      metadata: { topic: 'Fractions', level: '3' },
    });
    assert.deepEqual((await v1('PATCH', `/rooms/${roomId}/metadata`, { level: null, unit: '7' })).body, {
      metadata: { topic: 'Fractions', unit: '7' },
    });
    assert.deepEqual((await roomMeta()).custom, { topic: 'Fractions', unit: '7' });
    assert.equal((await v1('DELETE', `/rooms/${roomId}/metadata`)).status, 204);
    assert.deepEqual((await v1('GET', `/rooms/${roomId}/metadata`)).body, { metadata: {} });

    const path = `/rooms/${roomId}/members/${member.userId}/metadata`;
    assert.deepEqual((await v1('PUT', path, { seat: 'A4' })).body, { metadata: { seat: 'A4' } });
    const attrs = async () =>
      (await sfu.listParticipants(roomId)).find((p) => p.identity === member.userId)?.attributes;
    await waitUntil(async () => (await attrs())?.['meta.seat'] === 'A4', 10_000, 'the attribute on the SFU');
    assert.equal((await attrs())?.role, 'participant', 'the role stays');
    assert.deepEqual((await v1('GET', path)).body, { metadata: { seat: 'A4' } });
    assert.equal((await v1('DELETE', path)).status, 204);
    await waitUntil(async () => (await attrs())?.['meta.seat'] === undefined, 10_000, 'the attribute deleted');
  });

  it('answers bad input 400, a missing key 401, another key’s room or an unknown member 404', async () => {
    const { roomId, people } = await liveSpace(1);
    const member = people[0]!.userId;
    const bad: Array<[string, string, unknown, string]> = [
      ['PUT', `/rooms/${roomId}/layout`, { mode: 'mosaic' }, 'VALIDATION_FAILED'],
      ['PUT', `/rooms/${roomId}/layout`, {}, 'VALIDATION_FAILED'],
      ['PUT', `/rooms/${roomId}/metadata`, { 'bad key!': 'x' }, 'VALIDATION_FAILED'],
      ['PATCH', `/rooms/${roomId}/metadata`, { k: 'x'.repeat(1025) }, 'VALIDATION_FAILED'],
      [
        'PUT',
        `/rooms/${roomId}/metadata`,
        Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])),
        'ROOM_METADATA_TOO_LARGE',
      ],
      ['POST', `/rooms/${roomId}/remove-all`, { everyone: true }, 'VALIDATION_FAILED'],
      ['POST', `/rooms/${roomId}/mute-all`, { exclude: ['not-an-id'] }, 'VALIDATION_FAILED'],
    ];
    for (const [method, route, body, code] of bad) {
      const res = await v1(method, route, body);
      assert.deepEqual([res.status, res.code], [400, code], `${method} ${route}`);
    }
    const routes: Array<[string, string]> = [
      ['GET', `/rooms/${roomId}/members`],
      ['POST', `/rooms/${roomId}/members/${member}/mute-audio`],
      ['GET', `/rooms/${roomId}/members/${member}/metadata`],
      ['POST', `/rooms/${roomId}/lock`],
      ['POST', `/rooms/${roomId}/remove-all`],
      ['GET', `/rooms/${roomId}/layout`],
      ['GET', `/rooms/${roomId}/metadata`],
    ];
    const other = await createApiKey(env, 'nosy');
    for (const [method, route] of routes) {
      assert.equal((await v1(method, route, undefined, null)).status, 401, `${method} ${route} without a key`);
      const theirs = await v1(method, route, method === 'GET' ? undefined : {}, other.key);
      assert.deepEqual([theirs.status, theirs.code], [404, 'SPACE_ROOM_NOT_FOUND'], `${method} ${route}`);
    }
    for (const target of ['u-00000000', 'not-an-id']) {
      const res = await v1('POST', `/rooms/${roomId}/members/${target}/deaf`);
      assert.deepEqual([res.status, res.code], [404, 'SPACE_MEMBER_NOT_FOUND'], target);
    }
    // The room is unchanged by every refusal: still unlocked, the member still hears.
    assert.equal((await v1('POST', `/rooms/${roomId}/members/${member}/mute-audio`)).status, 204);
    const members = (await v1('GET', `/rooms/${roomId}/members`)).body as any;
    const entry = members.members.find((m: any) => m.user_id === member);
    assert.deepEqual([entry.audio_muted, entry.video_muted, entry.deaf], [true, false, false]);
  });

  it('sends the room-session naming to a space that asks for it, signed, and ours to one that does not', async () => {
    const path = `/hooks/${randomUUID()}`;
    const { roomId, host, people } = await liveSpace(1, {
      webhooks: { url: `${receiver.url}${path}`, naming: 'room-session' },
    });
    const secret = host.webhook_secret as string;
    await v1('PUT', `/rooms/${roomId}/layout`, { mode: 'grid' });
    await v1('POST', `/rooms/${roomId}/members/${people[0]!.userId}/mute-audio`);
    await v1('POST', `/rooms/${roomId}/lock`);
    for (const type of ['room.started', 'member.joined', 'layout.changed', 'member.updated', 'room.updated']) {
      await waitUntil(() => receiver.on(path, type).length > 0, 15_000, type);
    }
    for (const r of receiver.on(path)) {
      assert.ok(verifySignature(secret, r.body, r.headers['x-liveclass-signature'] as string, Date.now() / 1000));
      assert.equal(r.payload.room_id, roomId);
    }
    assert.equal(receiver.on(path, 'participant.joined').length, 0, 'not ours as well');
    assert.equal(receiver.on(path, 'layout.changed')[0]?.payload.layout?.mode, 'grid');
    assert.equal(receiver.on(path, 'member.updated')[0]?.payload.action, 'mute-audio');
    assert.equal(receiver.on(path, 'room.updated')[0]?.payload.action, 'lock');
    await people[0]!.p.disconnect();
    await waitUntil(() => receiver.on(path, 'member.left').length > 0, 15_000, 'member.left');
  });
});
