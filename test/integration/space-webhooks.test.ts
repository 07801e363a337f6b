import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type Database } from '../../src/db/connection.js';
import { ensureIndexes } from '../../src/db/indexes.js';
import { createOutboxStore, OUTBOX_COLLECTION, outboxIndexes } from '../../src/db/outbox-store.js';
import type { Space } from '../../src/integrations/space-store.js';
import { startDeliveryWorker } from '../../src/integrations/webhook-delivery.js';
import { createWebhookEnqueuer, outboxEventId, verifySignature } from '../../src/integrations/webhook-outbox.js';
import { createLogger } from '../../src/log.js';
import { createApiKey, type CreatedApiKey } from '../support/api-keys.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';
import { openTestDatabase, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';
import { postLiveKit as signedPost, Receiver, type Received } from '../support/webhook-receiver.js';

describe('integrator webhooks: session and participant events, signed, retried', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let db: Database;
  let apiKey: CreatedApiKey;
  const receiver = new Receiver();
  const connected: TestParticipant[] = [];
  const logger = createLogger('silent');

  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
    await receiver.start();
    apiKey = await createApiKey(env, 'webhook tests');
  });
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((p) => p.disconnect()));
  });
  after(async () => {
    await receiver.stop();
    await db.close();
  });

  async function launch(body: Record<string, unknown>, expectStatus: number) {
    const res = await fetch(`${env.tool.url}/api/v1/spaces/launch`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey.key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    assert.equal(res.status, expectStatus, text);
    return JSON.parse(text) as Record<string, any>;
  }
  async function joinAs(clientUrl: string): Promise<TestParticipant> {
    const res = await fetch(clientUrl.replace(env.config.server.publicUrl, env.tool.url), { redirect: 'manual' });
    const match = /^\/launch#token=(.+)$/.exec(res.headers.get('location') ?? '');
    assert.ok(match, 'redirect to the launcher');
    const grant = await new LaunchedUser(env.tool.url, decodeURIComponent(match[1] as string)).joinGrant();
    const p = await TestParticipant.connect(grant);
    connected.push(p);
    return p;
  }
  const postLiveKit = (event: Record<string, unknown>) => signedPost(env, event);
  const assertSigned = (r: Received, secret: string) => {
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['x-liveclass-event'], r.payload.type);
    assert.equal(r.headers['x-liveclass-delivery'], r.payload.id);
    const signature = r.headers['x-liveclass-signature'] as string;
    assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.ok(verifySignature(secret, r.body, signature, Math.floor(Date.now() / 1000)), 'valid signature');
    assert.ok(!verifySignature('whsec_wrong', r.body, signature, Math.floor(Date.now() / 1000)));
  };
  const outboxCount = (id: string) => db.connection.collection(OUTBOX_COLLECTION).countDocuments({ id });

  it('sends session.started, participant.joined and participant.left for a real participant', async () => {
    const path = `/hooks/${randomUUID()}`;
    const id = `space-${randomUUID().slice(0, 8)}`;
    const host = { id: 'ext-host', name: 'Ada Host', leader: true };
    const first = await launch({ id, user: host, webhooks: { url: `${receiver.url}${path}` } }, 201);
    const secret = first.webhook_secret as string;
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const again = await launch({ id, user: host, webhooks: { url: `${receiver.url}${path}` } }, 200);
    assert.equal(again.webhook_secret, undefined, 'the secret is shown once');

    const participant = await joinAs(first.client_url as string);
    await waitUntil(() => receiver.on(path, 'participant.joined').length > 0, 10_000, 'participant.joined');
    await waitUntil(() => receiver.on(path, 'session.started').length > 0, 10_000, 'session.started');
    const [started] = receiver.on(path, 'session.started') as [Received];
    const [joined] = receiver.on(path, 'participant.joined') as [Received];
    assertSigned(started, secret);
    assertSigned(joined, secret);
    assert.match(started.payload.session_id ?? '', /^ses_/);
    assert.deepEqual(
      { ...started.payload, created_at: undefined },
      {
        id: started.payload.id,
        type: 'session.started',
        created_at: undefined,
        space_id: id,
        room_id: first.room_id,
        session_id: started.payload.session_id,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(started.payload.created_at)));
    assert.equal(joined.payload.session_id, started.payload.session_id);
    assert.equal(joined.payload.room_id, first.room_id);
    assert.deepEqual(joined.payload.participant, { user_id: first.user_id, name: 'Ada Host', role: 'instructor' });

    await participant.disconnect();
    await waitUntil(() => receiver.on(path, 'participant.left').length > 0, 10_000, 'participant.left');
    const [left] = receiver.on(path, 'participant.left') as [Received];
    assertSigned(left, secret);
    assert.equal(left.payload.participant?.user_id, first.user_id);
    assert.equal(left.payload.session_id, started.payload.session_id);
    assert.notEqual(left.payload.id, joined.payload.id);
    assert.equal(receiver.on(path, 'session.started').length, 1);
  });

  it('queues a LiveKit webhook delivered twice once, and honours webhooks.events', async () => {
    const path = `/hooks/${randomUUID()}`;
    const filtered = `/hooks/${randomUUID()}`;
    const id = `space-${randomUUID().slice(0, 8)}`;
    const launched = await launch(
      { id, user: { id: 'u', name: 'U' }, webhooks: { url: `${receiver.url}${path}` } },
      201,
    );
    const roomId = launched.room_id as string;
    const now = Math.floor(Date.now() / 1000);
    const joined = {
      id: `EV_${randomUUID()}`,
      event: 'participant_joined',
      createdAt: String(now),
      room: { name: roomId, sid: 'RM_test' },
      participant: { identity: 'u-00000000000000000000dupe', sid: 'PA_dupe', name: 'Dupe', metadata: '{}' },
    };
    assert.deepEqual(await postLiveKit(joined), { ok: true, duplicate: false });
    assert.deepEqual(await postLiveKit(joined), { ok: true, duplicate: true });
    const eventId = outboxEventId(joined.id, 'participant.joined');
    assert.equal(await outboxCount(eventId), 1, 'queued before the webhook was acknowledged, once');

    const finished = {
      id: `EV_${randomUUID()}`,
      event: 'room_finished',
      createdAt: String(now + 1),
      room: joined.room,
    };
    await postLiveKit(finished);
    await postLiveKit({ ...finished, id: `EV_${randomUUID()}` }); // a second room_finished for the same session
    await waitUntil(() => receiver.on(path, 'session.ended').length > 0, 10_000, 'session.ended');
    // The session's attendance becomes final a moment later (attendance.settleSeconds): once, too.
    await waitUntil(() => receiver.on(path, 'attendance.ready').length > 0, 20_000, 'attendance.ready');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(
      receiver
        .on(path)
        .map((r) => r.payload.type)
        .sort(), // parallel lanes: order is not guaranteed
      ['attendance.ready', 'participant.joined', 'session.ended', 'session.started'],
    );
    const joinedPayload = receiver.on(path, 'participant.joined')[0]?.payload;
    assert.equal(joinedPayload?.id, eventId);
    assert.deepEqual(joinedPayload?.participant, { user_id: joined.participant.identity, name: 'Dupe', role: null });
    const ended = receiver.on(path, 'session.ended')[0]?.payload;
    assert.equal(ended?.session_id, receiver.on(path, 'session.started')[0]?.payload.session_id);
    const delivered = await db.connection.collection(OUTBOX_COLLECTION).findOne({ id: eventId });
    assert.equal(delivered?.status, 'delivered');
    assert.equal(delivered?.lastStatusCode, 200);
    assert.ok(delivered?.finishedAt instanceof Date);

    // A later launch narrows the events: only session.ended now.
    await launch(
      { id, user: { id: 'u', name: 'U' }, webhooks: { url: `${receiver.url}${filtered}`, events: ['session.ended'] } },
      200,
    );
    const rejoin = { ...joined, id: `EV_${randomUUID()}`, createdAt: String(now + 2) };
    await postLiveKit(rejoin);
    await postLiveKit({ ...finished, id: `EV_${randomUUID()}`, createdAt: String(now + 3) });
    await waitUntil(() => receiver.on(filtered, 'session.ended').length > 0, 10_000, 'filtered session.ended');
    assert.equal(await outboxCount(outboxEventId(rejoin.id, 'participant.joined')), 0);
    assert.deepEqual(
      receiver.on(filtered).map((r) => r.payload.type),
      ['session.ended'],
    );
  });

  it('retries a receiver that answers 500 and then 200 (short backoff, real store)', async () => {
    const collection = `test_outbox_${randomUUID().slice(0, 8)}`;
    await ensureIndexes(db.connection, outboxIndexes(collection), logger);
    const outbox = createOutboxStore(db.connection, collection);
    const path = `/hooks/${randomUUID()}`;
    const space: Space = {
      id: 'spc_retry',
      apiKeyId: apiKey.id,
      spaceId: 'retry',
      roomKey: 'lc-retry',
      activityId: 'act',
      webhooks: { url: `${receiver.url}${path}` },
      webhookSecret: 'whsec_retry',
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    const worker = startDeliveryWorker({
      outbox,
      spaces: { get: async () => space },
      logger,
      intervalMs: 100,
      backoffMs: [300],
    });
    const enqueue = createWebhookEnqueuer({
      spaces: { find: async () => space },
      outbox,
      onEnqueued: () => worker.kick(),
      logger,
    });
    let duringRetry: Record<string, unknown> | undefined;
    receiver.answer = async (r, nth) => {
      if (r.path !== path) return 200;
      if (nth === 2) duringRetry = (await outbox.get(r.payload.id)) as unknown as Record<string, unknown>;
      return nth === 1 ? 500 : 200;
    };
    try {
      const room = { key: 'lc-retry', owner: { kind: 'space', apiKeyId: apiKey.id, spaceId: 'retry' } };
      const event = { sourceId: 'ses_retry', sessionId: 'ses_retry', at: new Date() };
      await enqueue({ ...event, type: 'session.started', room: room as never });
      await enqueue({ ...event, type: 'session.started', room: room as never });
      await waitUntil(() => duringRetry !== undefined, 10_000, 'the retry');
      const [a, b] = receiver.on(path) as [Received, Received];
      assert.equal(a.payload.id, b.payload.id);
      assert.equal(b.headers['x-liveclass-delivery'], a.headers['x-liveclass-delivery']);
      assertSigned(b, 'whsec_retry');
      assert.equal(duringRetry?.lastStatusCode, 500, 'the failed attempt was recorded');
      assert.equal(duringRetry?.lastError, 'HTTP 500');
      await waitUntil(async () => (await outbox.get(a.payload.id))?.status === 'delivered', 5_000, 'delivered');
      const item = await outbox.get(a.payload.id);
      assert.equal(item?.attempts, 2);
      assert.equal(item?.lastStatusCode, 200);
      assert.equal(await db.connection.collection(collection).countDocuments({}), 1, 'enqueued once');
    } finally {
      receiver.answer = () => 200;
      await worker.stop();
      await db.connection
        .collection(collection)
        .drop()
        .catch(() => undefined);
    }
  });

  it('sends attendance.ready once the session is final, and serves its sessions and participants to the key', async () => {
    const path = `/hooks/${randomUUID()}`;
    const id = `space-${randomUUID().slice(0, 8)}`;
    const webhooks = { url: `${receiver.url}${path}` };
    const host = await launch({ id, user: { id: 'ext-host', name: 'Ada Host', leader: true }, webhooks }, 201);
    const guest = await launch({ id, user: { id: 'ext-guest', name: 'Bo Guest' }, webhooks }, 200);
    const a = await joinAs(host.client_url as string);
    const b = await joinAs(guest.client_url as string);
    await waitUntil(() => receiver.on(path, 'participant.joined').length >= 2, 10_000, 'both joined');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await b.disconnect();
    await a.disconnect();
    await waitUntil(() => receiver.on(path, 'participant.left').length >= 2, 10_000, 'both left');
    const sessionId = receiver.on(path, 'session.started')[0]?.payload.session_id as string;
    await postLiveKit({
      id: `EV_${randomUUID()}`,
      event: 'room_finished',
      createdAt: String(Math.floor(Date.now() / 1000)),
      room: { name: host.room_id, sid: 'RM_att' },
    });
    await waitUntil(() => receiver.on(path, 'attendance.ready').length > 0, 20_000, 'attendance.ready');
    const [ready] = receiver.on(path, 'attendance.ready') as [Received];
    assertSigned(ready, host.webhook_secret as string);
    assert.equal(ready.payload.session_id, sessionId);
    assert.equal(ready.payload.attendance?.participants_count, 2);
    assert.deepEqual(ready.payload.attendance?.by_role, { instructor: 1, participant: 1, observer: 0 });
    assert.equal(ready.payload.attendance?.peak_participants, 2);
    const api = (url: string, key = apiKey.key) =>
      fetch(url.replace(env.config.server.publicUrl, env.tool.url), { headers: { 'x-api-key': key } });

    const people = await api(ready.payload.attendance!.participants_url);
    assert.equal(people.status, 200);
    const body = (await people.json()) as {
      session: Record<string, unknown>;
      participants: Array<Record<string, any>>;
    };
    assert.equal(body.session.final, true);
    const byUser = new Map(body.participants.map((p) => [p.user_id, p]));
    assert.equal(byUser.get(host.user_id)?.role, 'instructor');
    assert.equal(byUser.get(guest.user_id)?.name, 'Bo Guest');
    assert.ok(byUser.get(guest.user_id)?.minutes_present >= 0 && byUser.get(guest.user_id)?.joins === 1);
    const filtered = await api(`${ready.payload.attendance!.participants_url}?role=instructor`);
    assert.deepEqual(
      ((await filtered.json()) as { participants: Array<{ user_id: string }> }).participants.map((p) => p.user_id),
      [host.user_id],
    );
    assert.equal((await api(`${ready.payload.attendance!.participants_url}?joined_after=yesterday`)).status, 400);

    const sessions = await api(`${env.tool.url}/api/v1/rooms/${host.room_id as string}/sessions?limit=1`);
    assert.equal(sessions.status, 200);
    const page = (await sessions.json()) as {
      sessions: Array<{ session_id: string; current_peer_count: number | null; peak_participants: number }>;
      next_cursor: string | null;
    };
    assert.deepEqual(
      page.sessions.map((x) => x.session_id),
      [sessionId],
    );
    assert.equal(page.sessions[0]?.current_peer_count, null, 'an ended session has no live count');
    assert.equal(page.sessions[0]?.peak_participants, 2);
    assert.equal(page.next_cursor, null, 'the room has had one session');
    const badCursor = await api(`${env.tool.url}/api/v1/rooms/${host.room_id as string}/sessions?cursor=o20`);
    assert.equal(badCursor.status, 400);

    // Another key sees none of it.
    const otherKey = (await createApiKey(env, 'someone else')).key;
    assert.equal((await api(ready.payload.attendance!.participants_url, otherKey)).status, 404);
    assert.equal((await api(`${env.tool.url}/api/v1/rooms/${host.room_id as string}/sessions`, otherKey)).status, 404);

    // The operator erases the guest (an integrator's user, by the user.id they were launched with).
    const erase = await fetch(`${env.tool.url}/api/admin/erase-user`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.config.admin.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiKeyId: apiKey.id, userId: 'ext-guest' }),
    });
    assert.equal(erase.status, 200, await erase.clone().text());
    const { erased } = (await erase.json()) as { erased: Record<string, number> };
    assert.ok(erased.participantEvents! >= 2 && erased.webhookItems! >= 2, JSON.stringify(erased));
    assert.ok(erased.joinLinks! >= 1 && erased.launchSessions! >= 1, JSON.stringify(erased));
    const after = (await (await api(ready.payload.attendance!.participants_url)).json()) as {
      participants: Array<{ user_id: string }>;
    };
    assert.deepEqual(
      after.participants.map((p) => p.user_id),
      [host.user_id],
      'only the host is left',
    );
  });
});
