import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createApiKey, fetchWithApiKey } from '../support/api-keys.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';
import { postLiveKit } from '../support/webhook-receiver.js';

/** The live-room endpoints with the schema's own examples (docs/integrator-api.md#live-rooms). */
describe('integrator API, live rooms: create, join, status', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let apiKey: string;
  const connected: TestParticipant[] = [];

  before(async () => {
    env = await useTestEnvironment();
    apiKey = (await createApiKey(env, 'live-room tests')).key;
  });
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((p) => p.disconnect()));
  });

  async function call(method: string, route: string, body?: unknown, key: string | null = apiKey) {
    const res = await fetchWithApiKey(`${env.tool.url}/api/live-room${route}`, method, key, body);
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as Record<string, any> };
  }
  const follow = async (url: string) => {
    const res = await fetch(url.replace(env.config.server.publicUrl, env.tool.url), { redirect: 'manual' });
    const match = /^\/launch#token=(.+)$/.exec(res.headers.get('location') ?? '');
    assert.ok(match, `redirect to the launcher, got ${res.status}`);
    return new LaunchedUser(env.tool.url, decodeURIComponent(match[1] as string));
  };
  const roomId = () => `algebra-${randomUUID().slice(0, 8)}`;

  it('creates a room (201, state created), refuses the same room_id again (409), and joins both roles', async () => {
    const id = roomId();
    const instructor = { id: 'inst-1', name: 'Ada Lovelace', email: 'ada@example.edu', is_instructor: true };
    const created = await call('POST', '/create', {
      room_id: id,
      topic: 'Algebra 101',
      participants_limit: 30,
      instructor,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      { ...created.body, created_at: undefined },
      {
        room_id: id,
        topic: 'Algebra 101',
        participants_limit: 30,
        status: 'created',
        instructor,
        created_at: undefined,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(created.body.created_at)));
    const again = await call('POST', '/create', { room_id: id, topic: 'Other', participants_limit: 5 });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'SPACE_EXISTS');

    const teacherLink = await call('POST', '/join', { room_id: id, role: 'instructor' });
    assert.equal(teacherLink.status, 200, JSON.stringify(teacherLink.body));
    assert.equal(teacherLink.body.room_id, id);
    assert.equal(teacherLink.body.role, 'instructor');
    assert.ok(teacherLink.body.join_url.startsWith(`${env.config.server.publicUrl}/space/join?t=`));
    assert.ok(Date.parse(teacherLink.body.expires_at) > Date.now());
    const teacher = await (await follow(teacherLink.body.join_url)).json('GET', '/me');
    assert.equal(teacher.user.role, 'instructor');
    assert.equal(teacher.user.name, 'Ada Lovelace', 'the instructor given at create');
    assert.equal(teacher.activity.settings.title, 'Algebra 101');
    assert.equal(teacher.activity.settings.maxParticipants, 30);

    const learnerLink = await call('POST', '/join', { room_id: id, role: 'participant', user_id: 's-1', name: 'Bo' });
    const learner = await (await follow(learnerLink.body.join_url)).json('GET', '/me');
    assert.equal(learner.user.role, 'participant');
    assert.equal(learner.user.name, 'Bo');
    assert.match(learnerLink.body.user_id, /^u-[0-9a-f]{24}$/);

    // Without a name a participant's link is a guest link: it asks for the name first.
    const guestLink = await call('POST', '/join', { room_id: id, role: 'participant' });
    assert.equal(guestLink.body.user_id, null);
    const page = await fetch(guestLink.body.join_url.replace(env.config.server.publicUrl, env.tool.url));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /name="name"/);
  });

  it('reports created, in-progress (with the count and start) and ended', async () => {
    const id = roomId();
    assert.equal(
      (await call('POST', '/create', { room_id: id, topic: 'Physics', participants_limit: 10 })).status,
      201,
    );
    const status = async () => (await call('GET', `/status/${id}`)).body;
    assert.deepEqual(await status(), {
      room_id: id,
      status: 'created',
      is_live: false,
      participants_count: 0,
      started_at: null,
    });
    // No instructor was given: an instructor link needs a name.
    const nameless = await call('POST', '/join', { room_id: id, role: 'instructor' });
    assert.equal(nameless.status, 400);
    assert.equal(nameless.body.error.code, 'VALIDATION_FAILED');
    const link = await call('POST', '/join', { room_id: id, role: 'instructor', name: 'Marie Curie' });
    const grant = await (await follow(link.body.join_url)).joinGrant();
    connected.push(await TestParticipant.connect(grant));
    await waitUntil(async () => (await status()).participants_count === 1, 10_000, 'join webhook');
    const live = await status();
    assert.equal(live.status, 'in-progress');
    assert.equal(live.is_live, true);
    assert.ok(Date.parse(live.started_at) <= Date.now());

    await connected.pop()?.disconnect();
    await postLiveKit(env, {
      id: `EV_${randomUUID()}`,
      event: 'room_finished',
      createdAt: String(Math.floor(Date.now() / 1000)),
      room: { name: grant.room, sid: 'RM_live_room' },
    });
    const ended = await status();
    assert.equal(ended.status, 'ended');
    assert.equal(ended.is_live, false);
    assert.equal(ended.participants_count, 0);
    assert.equal(ended.started_at, live.started_at);
  });

  it('answers bad input 400 with the field, a wrong key 401, an unknown or foreign room 404', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['/create', { topic: 'T', participants_limit: 5 }, 'room_id'],
      ['/create', { room_id: 'bad id!', topic: 'T', participants_limit: 5 }, 'room_id'],
      ['/create', { room_id: 'ok', topic: '', participants_limit: 5 }, 'topic'],
      ['/create', { room_id: 'ok', topic: 'T', participants_limit: 1 }, 'participants_limit'],
      ['/create', { room_id: 'ok', topic: 'T', participants_limit: 2.5 }, 'participants_limit'],
      ['/create', { room_id: 'ok', topic: 'T', participants_limit: 5, instructor: { id: 'i' } }, 'instructor.name'],
      ['/join', { room_id: 'ok', role: 'admin' }, 'role'],
      ['/join', { role: 'participant' }, 'room_id'],
    ];
    for (const [route, body, path] of cases) {
      const res = await call('POST', route, body);
      assert.equal(res.status, 400, `${route} ${JSON.stringify(body)}`);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      assert.ok(
        res.body.error.details.fields.some((f: { path: string }) => f.path === path),
        `${path} in ${JSON.stringify(res.body.error.details.fields)}`,
      );
    }
    assert.equal((await call('GET', `/status/${'x'.repeat(65)}`)).status, 400);
    for (const key of [null, 'lck_nope']) {
      const res = await call('GET', '/status/anything', undefined, key);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'API_KEY_INVALID');
    }
    const id = roomId();
    await call('POST', '/create', { room_id: id, topic: 'Mine', participants_limit: 5 });
    const other = await createApiKey(env, 'another integrator');
    for (const [method, route, body] of [
      ['GET', `/status/${id}`, undefined],
      ['POST', '/join', { room_id: id, role: 'participant', name: 'Nosy' }],
      ['GET', `/status/no-such-room`, undefined],
    ] as const) {
      const key = route.includes('no-such') ? apiKey : other.key;
      const res = await call(method, route, body, key);
      assert.equal(res.status, 404, `${method} ${route}`);
      assert.equal(res.body.error.code, 'SPACE_ROOM_NOT_FOUND');
    }
    // The same room is a space of /api/v1 too (its room_id is the space id).
    const v1 = await fetch(`${env.tool.url}/api/v1/spaces/launch`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ id, user: { id: 'x', name: 'X' } }),
    });
    assert.equal(v1.status, 200);
  });

  it('limits creates and joins per API key (429 RATE_LIMITED with Retry-After), shared with spaces/launch', async () => {
    const limited = await useTestEnvironment({ INTEGRATOR_LAUNCH_RATE_LIMIT: '3', LOG_LEVEL: 'error' });
    const post = (route: string, body: unknown, key = apiKey) =>
      fetch(`${limited.tool.url}${route}`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const id = roomId();
    assert.equal((await post('/api/live-room/create', { room_id: id, topic: 'T', participants_limit: 5 })).status, 201);
    assert.equal((await post('/api/live-room/join', { room_id: id, role: 'participant', name: 'A' })).status, 200);
    assert.equal((await post('/api/v1/spaces/launch', { id })).status, 200);
    const refused = await post('/api/live-room/join', { room_id: id, role: 'participant', name: 'B' });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(((await refused.json()) as any).error.code, 'RATE_LIMITED');
    // Status reads are cheap and not counted; another key has its own budget.
    assert.equal(
      (await fetch(`${limited.tool.url}/api/live-room/status/${id}`, { headers: { 'x-api-key': apiKey } })).status,
      200,
    );
    const other = await createApiKey(env, 'second budget');
    assert.equal((await post('/api/v1/spaces/launch', { id: roomId() }, other.key)).status, 201);
  });
});
