import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { type Database } from '../../src/db/connection.js';
import { createApiKey, fetchWithApiKey } from '../support/api-keys.js';
import { LaunchedUser, TestParticipant, videoGrant, waitUntil } from '../support/room-client.js';
import { openTestDatabase, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

describe('integrator API: API keys, spaces, join links, live sessions', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let db: Database;
  let apiKey: string;
  const connected: TestParticipant[] = [];

  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
    apiKey = (await createApiKey(env, 'tests')).key;
  });
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((p) => p.disconnect()));
  });
  // No rtc-node dispose() here: it tears down the native client for every later test file in this process.
  after(() => db.close());

  const admin = (method: string, route: string, body?: unknown) =>
    fetch(`${env.tool.url}/api/admin${route}`, {
      method,
      headers: { authorization: `Bearer ${env.config.admin.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const v1 = (method: string, route: string, body?: unknown, key: string | null = apiKey) =>
    fetchWithApiKey(`${env.tool.url}/api/v1${route}`, method, key, body);
  async function launch(body: Record<string, unknown>, expectStatus?: number, key = apiKey) {
    const res = await v1('POST', '/spaces/launch', body, key);
    const text = await res.text();
    if (expectStatus !== undefined) assert.equal(res.status, expectStatus, text);
    return { status: res.status, body: JSON.parse(text) as Record<string, any> };
  }
  /** Follows a join link like a browser would, without following the final redirect. */
  const follow = (clientUrl: string) =>
    fetch(clientUrl.replace(env.config.server.publicUrl, env.tool.url), { redirect: 'manual' });
  const bearerFrom = (res: Response): string => {
    const location = res.headers.get('location') ?? '';
    const match = /^\/launch#token=(.+)$/.exec(location);
    assert.ok(match, `redirect to the launcher, got ${location}`);
    return decodeURIComponent(match[1] as string);
  };
  const spaceId = () => `space-${randomUUID().slice(0, 8)}`;
  const user = (name: string, extra: Record<string, unknown> = {}) => ({ id: `ext-${name}`, name, ...extra });

  it('creates, lists (never the key) and revokes API keys; a revoked key is refused at once', async () => {
    const created = await createApiKey(env, 'Acme LMS');
    assert.match(created.key, /^lck_[A-Za-z0-9_-]{43}$/);
    const listed = (await (await admin('GET', '/api-keys')).json()) as any;
    const entry = listed.apiKeys.find((k: any) => k.id === created.id);
    assert.equal(entry.name, 'Acme LMS');
    assert.ok(entry.createdAt);
    assert.ok(!JSON.stringify(listed).includes(created.key), 'the key is never listed');
    assert.ok(listed.apiKeys.every((k: any) => !('key' in k) && !('keyHash' in k)));

    assert.equal((await v1('GET', '/live-sessions', undefined, created.key)).status, 200);
    assert.equal((await admin('DELETE', `/api-keys/${created.id}`)).status, 204);
    const refused = await v1('GET', '/live-sessions', undefined, created.key);
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as any).error.code, 'API_KEY_INVALID');
    const after = (await (await admin('GET', '/api-keys')).json()) as any;
    const revoked = after.apiKeys.find((k: any) => k.id === created.id);
    assert.ok(revoked.revokedAt && revoked.lastUsedAt);
    assert.equal((await admin('DELETE', '/api-keys/key_unknown')).status, 404);
  });

  it('answers 401 without a key or with an unknown one, and needs the admin key to manage keys', async () => {
    for (const key of [null, 'lck_nope', `lck_${'a'.repeat(43)}`]) {
      const res = await v1('POST', '/spaces/launch', { id: 'x', user: user('a') }, key);
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as any).error.code, 'API_KEY_INVALID');
    }
    assert.equal((await fetch(`${env.tool.url}/api/admin/api-keys`)).status, 401);
    assert.equal((await v1('GET', '/no-such-route')).status, 404);
  });

  it('launches a space once: 201, then 200 with the same room for the same id and key', async () => {
    const id = spaceId();
    const first = await launch({ id, user: user('alice', { leader: true }), settings: { title: 'Algebra' } }, 201);
    assert.match(first.body.room_id, /^lc-[0-9a-f]{32}$/);
    assert.match(first.body.user_id, /^u-[0-9a-f]{24}$/);
    assert.equal(first.body.session_id, null);
    assert.ok(first.body.client_url.startsWith(`${env.config.server.publicUrl}/space/join?t=`));

    const second = await launch({ id, user: user('bob') }, 200);
    assert.equal(second.body.room_id, first.body.room_id);
    assert.notEqual(second.body.user_id, first.body.user_id);
    assert.notEqual(second.body.client_url, first.body.client_url);

    const parallel = await Promise.all([1, 2, 3].map(() => launch({ id: spaceId(), user: user('c') })));
    assert.ok(parallel.every((r) => r.status === 201));
    const racing = spaceId();
    const raced = await Promise.all([1, 2, 3].map(() => launch({ id: racing, user: user('d') })));
    assert.equal(raced.filter((r) => r.status === 201).length, 1, 'only one launch creates the space');
    assert.equal(new Set(raced.map((r) => r.body.room_id)).size, 1);

    const other = await createApiKey(env, 'other integrator');
    const elsewhere = await launch({ id, user: user('alice') }, 201, other.key);
    assert.notEqual(elsewhere.body.room_id, first.body.room_id, 'spaces are per API key');
  });

  it('answers invalid launch bodies with 400 VALIDATION_FAILED naming the field', async () => {
    const cases: Array<[Record<string, unknown>, (fields: Array<{ path: string; message: string }>) => boolean]> = [
      [{ id: 'x'.repeat(65), user: user('a') }, (f) => f.some((x) => x.path === 'id')],
      [{ id: 'bad id!', user: user('a') }, (f) => f.some((x) => x.path === 'id')],
      [{ id: 'ok', user: { id: 'u1' } }, (f) => f.some((x) => x.path === 'user.name')],
      [{ id: 'ok', user: user('a'), color: 'red' }, (f) => f.some((x) => x.message.includes('color'))],
      [{ id: 'ok', user: user('a'), settings: { grading: {} } }, (f) => f.some((x) => x.message.includes('grading'))],
      [{ id: 'ok', user: user('a'), passcode: '123' }, (f) => f.some((x) => x.path === 'passcode')],
      [
        { id: 'ok', user: user('a'), webhooks: { url: 'ftp://x.example' } },
        (f) => f.some((x) => x.path === 'webhooks.url'),
      ],
    ];
    for (const [body, check] of cases) {
      const res = await launch(body, 400);
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      assert.ok(check(res.body.error.details.fields), JSON.stringify(res.body.error.details.fields));
    }
  });

  it('turns client_url into a launcher session: 303 to /launch#token, then a join token (leader = instructor)', async () => {
    const id = spaceId();
    const leader = await launch({ id, user: user('teacher', { leader: true }), settings: { title: 'Physics' } }, 201);
    const learner = await launch({ id, user: user('student') }, 200);

    const res = await follow(leader.body.client_url);
    assert.equal(res.status, 303);
    const teacher = new LaunchedUser(env.tool.url, bearerFrom(res));
    const grant = await teacher.joinGrant();
    assert.equal(grant.room, leader.body.room_id);
    assert.equal(grant.identity, leader.body.user_id);
    assert.deepEqual(videoGrant(grant.token).canPublishSources, [
      'camera',
      'microphone',
      'screen_share',
      'screen_share_audio',
    ]);
    assert.equal(videoGrant(grant.token).roomAdmin, false, 'leaders act through the tool, not the SFU API');
    const me = await teacher.json('GET', '/me');
    assert.equal(me.user.role, 'instructor');
    assert.equal(me.activity.settings.title, 'Physics');

    const student = new LaunchedUser(env.tool.url, bearerFrom(await follow(learner.body.client_url)));
    const studentGrant = await student.joinGrant();
    assert.equal(studentGrant.room, leader.body.room_id);
    assert.equal(videoGrant(studentGrant.token).roomAdmin, false);
    // The link stays usable until it expires (a reload must not lock the user out).
    assert.equal((await follow(learner.body.client_url)).status, 303);
  });

  it('asks for the passcode when one is set: wrong passcode 403, right passcode 303', async () => {
    const { body } = await launch({ id: spaceId(), user: user('p'), passcode: 'open-sesame' }, 201);
    const page = await follow(body.client_url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<form method="post" action="\/space\/join">/);
    assert.match(html, /name="passcode"/);
    const token = new URL(body.client_url).searchParams.get('t') as string;

    const submit = (passcode: string) =>
      fetch(`${env.tool.url}/space/join`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ t: token, passcode }).toString(),
      });
    const wrong = await submit('not-it');
    assert.equal(wrong.status, 403);
    assert.match(await wrong.text(), /passcode is wrong/);
    const right = await submit('open-sesame');
    assert.equal(right.status, 303);
    const grant = await new LaunchedUser(env.tool.url, bearerFrom(right)).joinGrant();
    assert.equal(grant.room, body.room_id);
  });

  it('refuses unknown and expired links with an HTML page', async () => {
    const unknown = await fetch(`${env.tool.url}/space/join?t=${'x'.repeat(43)}`, { redirect: 'manual' });
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type') ?? '', /html/);
    assert.match(await unknown.text(), /SPACE_LINK_INVALID/);
    assert.equal((await fetch(`${env.tool.url}/space/join`, { redirect: 'manual' })).status, 404);

    const { body } = await launch({ id: spaceId(), user: user('late') }, 201);
    const token = new URL(body.client_url).searchParams.get('t') as string;
    const tokenHash = createHash('sha256').update(token).digest('hex');
    await db.connection
      .collection('integrator_join_links')
      .updateOne({ tokenHash }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await follow(body.client_url);
    assert.equal(expired.status, 404);
    assert.match(await expired.text(), /expired/);
  });

  it('reports live sessions and room status from real participants (webhooks)', async () => {
    const id = spaceId();
    const { body } = await launch({ id, user: user('host', { leader: true }) }, 201);
    const roomId = body.room_id as string;

    const idle = await v1('GET', `/live-sessions/${roomId}`);
    assert.equal(idle.status, 404);
    assert.equal(((await idle.json()) as any).error.code, 'SPACE_NOT_LIVE');
    const idleStatus = (await (await v1('GET', `/rooms/${roomId}/status`)).json()) as any;
    assert.deepEqual(idleStatus, {
      room_id: roomId,
      is_live: false,
      participants_count: 0,
      started_at: null,
      session_id: null,
    });

    const host = new LaunchedUser(env.tool.url, bearerFrom(await follow(body.client_url)));
    connected.push(await TestParticipant.connect(await host.joinGrant()));
    const listed = async () =>
      ((await (await v1('GET', '/live-sessions')).json()) as any).liveSessions.find((s: any) => s.roomId === roomId);
    await waitUntil(async () => (await listed())?.currentPeerCount === 1, 10_000, 'join webhook');

    const live = await listed();
    assert.equal(live.spaceId, id);
    assert.equal(live.recordingCount, 0);
    assert.equal(live.livestreamCount, 0);
    assert.ok(Date.parse(live.startTime) <= Date.now());
    const one = await v1('GET', `/live-sessions/${roomId}`);
    assert.equal(one.status, 200);
    assert.deepEqual(await one.json(), live);

    const status = (await (await v1('GET', `/rooms/${roomId}/status`)).json()) as any;
    assert.equal(status.is_live, true);
    assert.equal(status.participants_count, 1);
    assert.equal(status.started_at, live.startTime);
    assert.match(status.session_id, /^ses_/);
    const relaunch = await launch({ id, user: user('host', { leader: true }) }, 200);
    assert.equal(relaunch.body.session_id, status.session_id);

    // Another key sees none of it.
    const other = await createApiKey(env, 'nosy');
    const theirs = (await (await v1('GET', '/live-sessions', undefined, other.key)).json()) as any;
    assert.deepEqual(theirs.liveSessions, []);
    assert.equal((await v1('GET', `/live-sessions/${roomId}`, undefined, other.key)).status, 404);
    assert.equal((await v1('GET', `/rooms/${roomId}/status`, undefined, other.key)).status, 404);
  });
});
