import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { verifySignature } from '../../src/integrations/webhook-outbox.js';
import { createApiKey } from '../support/api-keys.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';
import { postLiveKit, Receiver, type Received } from '../support/webhook-receiver.js';

/** Lessonspace's launch documents' own examples, sent verbatim (docs/integrator-api.md#lessonspace). */
describe('integrator API in Lessonspace words: launch body, Organisation auth, guest links, webhook names', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let apiKey: string;
  const receiver = new Receiver();
  const connected: TestParticipant[] = [];

  before(async () => {
    env = await useTestEnvironment();
    await receiver.start();
    // A key of its own: Lessonspace's example ids are used verbatim, and ids are unique per key.
    apiKey = (await createApiKey(env, 'lessonspace tests')).key;
  });
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((p) => p.disconnect()));
  });
  after(() => receiver.stop());

  /** As Lessonspace's own clients call it: `Authorization: Organisation <key>`. */
  async function launch(body: unknown, expectStatus: number, authorization = `Organisation ${apiKey}`) {
    const res = await fetch(`${env.tool.url}/api/v1/spaces/launch`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    assert.equal(res.status, expectStatus, text);
    return JSON.parse(text) as Record<string, any>;
  }
  const local = (url: string) => url.replace(env.config.server.publicUrl, env.tool.url);
  const bearerOf = (res: Response): string => {
    const match = /^\/launch#token=(.+)$/.exec(res.headers.get('location') ?? '');
    assert.ok(match, `redirect to the launcher, got ${res.status} ${res.headers.get('location')}`);
    return decodeURIComponent(match[1] as string);
  };
  const follow = async (clientUrl: string) =>
    new LaunchedUser(env.tool.url, bearerOf(await fetch(local(clientUrl), { redirect: 'manual' })));
  const tokenOf = (clientUrl: string) => new URL(clientUrl).searchParams.get('t') as string;
  const submitName = (clientUrl: string, fields: Record<string, string>, lang = 'en') =>
    fetch(`${env.tool.url}/space/join`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang },
      body: new URLSearchParams({ t: tokenOf(clientUrl), ...fields }).toString(),
    });

  it("answers the guide's leader launch with the documented fields and names the user by displayName", async () => {
    const teacher = await launch(
      {
        id: 'biology101-2023',
        user: {
          id: 'Teacher_1',
          name: 'Peter Parker',
          role: 'teacher',
          leader: true,
          custom_jwt_parameters: { meta: { displayName: 'Spiderman' } },
        },
      },
      201,
    );
    assert.deepEqual(Object.keys(teacher).sort(), ['api_base', 'client_url', 'room_id', 'session_id', 'user_id']);
    assert.equal(teacher.api_base, `${env.config.server.publicUrl}/api/v1`);
    assert.match(teacher.room_id, /^lc-[0-9a-f]{32}$/);
    assert.equal(teacher.session_id, null);
    assert.match(teacher.user_id, /^u-[0-9a-f]{24}$/);
    const me = await (await follow(teacher.client_url)).json('GET', '/me');
    assert.equal(me.user.role, 'instructor');
    assert.equal(me.user.name, 'Spiderman', 'displayName is the name others see');
    assert.equal(me.activity.settings.title, 'Live class');

    const student = await launch(
      {
        id: 'biology101-2023',
        user: { id: 'BioStudent_1', name: 'Bruce Wayne', email: 'bruce@wayne.co.za', role: 'student', leader: false },
      },
      200,
    );
    assert.equal(student.room_id, teacher.room_id);
    const studentMe = await (await follow(student.client_url)).json('GET', '/me');
    assert.equal(studentMe.user.role, 'participant');
    assert.equal(studentMe.user.name, 'Bruce Wayne');
  });

  it('maps free-text roles: leader decides, a role word alone maps by meaning, unknown words are participants', async () => {
    const id = `roles-${randomUUID().slice(0, 8)}`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ role: 'tutor' }, 'instructor'],
      [{ role: 'Teacher' }, 'instructor'],
      [{ role: 'teacher', leader: false }, 'participant'],
      [{ role: 'student', leader: true }, 'instructor'],
      [{ role: 'observer' }, 'observer'],
      [{ role: 'learner' }, 'participant'],
      [{ role: 'superuser' }, 'participant'],
      [{}, 'participant'],
    ];
    await launch({ id, name: 'Roles' }, 201);
    for (const [extra, role] of cases) {
      const body = await launch({ id, user: { id: `u-${role}`, name: 'R', ...extra } }, 200);
      const me = await (await follow(body.client_url)).json('GET', '/me');
      assert.equal(me.user.role, role, JSON.stringify(extra));
    }
  });

  it('creates the space from an id-only launch: its guest link asks each person for a name (en, es)', async () => {
    const guests = await launch({ id: `guests-${randomUUID().slice(0, 8)}`, name: 'Open biology' }, 201);
    assert.equal(guests.user_id, null, 'a guest link stands for nobody yet');
    const page = await fetch(local(guests.client_url), { redirect: 'manual' });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<label for="name">Your name<\/label>/);
    assert.doesNotMatch(html, /name="passcode"/);
    const es = await fetch(local(guests.client_url), {
      redirect: 'manual',
      headers: { 'accept-language': 'es-ES,es' },
    });
    assert.match(await es.text(), /<html lang="es">[\s\S]*Tu nombre/);

    for (const bad of ['', '   ', 'x'.repeat(65), 'Ev\u202eil']) {
      const refused = await submitName(guests.client_url, { name: bad }, 'es');
      assert.equal(refused.status, 400, JSON.stringify(bad));
      assert.match(await refused.text(), /role="alert"[^>]*>Escribe el nombre/);
    }

    const names = ['Ana', 'Ben', 'Chloé', 'Dev'];
    const users: LaunchedUser[] = [];
    for (const name of names)
      users.push(new LaunchedUser(env.tool.url, bearerOf(await submitName(guests.client_url, { name: `  ${name} ` }))));
    const mes = await Promise.all(users.map((u) => u.json('GET', '/me')));
    assert.deepEqual(
      mes.map((m) => m.user.name),
      names,
    );
    assert.ok(
      mes.every((m) => m.user.role === 'participant'),
      'a guest is never a leader',
    );
    assert.equal(mes[0].activity.settings.title, 'Open biology', "Lessonspace's name is the class title");
    // Four guests on one shared link: nobody was pushed out (the per-link cap is for personal links).
    const grants = await Promise.all(users.map((u) => u.joinGrant()));
    assert.equal(new Set(grants.map((g) => g.identity)).size, 4);
    assert.ok(grants.every((g) => g.room === guests.room_id));
  });

  it("asks a guest for the space's passcode on the same form", async () => {
    const space = await launch({ id: `guest-pass-${randomUUID().slice(0, 8)}`, passcode: 'open-sesame' }, 201);
    const html = await (await fetch(local(space.client_url), { redirect: 'manual' })).text();
    assert.match(html, /name="name"/);
    assert.match(html, /name="passcode"/);
    const wrong = await submitName(space.client_url, { name: 'Ana', passcode: 'nope-nope' });
    assert.equal(wrong.status, 403);
    assert.match(await wrong.text(), /passcode is wrong[\s\S]*value="Ana"/);
    const right = await submitName(space.client_url, { name: 'Ana', passcode: 'open-sesame' });
    const me = await new LaunchedUser(env.tool.url, bearerOf(right)).json('GET', '/me');
    assert.equal(me.user.name, 'Ana');
  });

  it('refuses a wrong Organisation key (401) and bad Lessonspace fields (400 naming them)', async () => {
    for (const authorization of ['Organisation lck_nope', 'Organisation', 'Bearer whatever']) {
      const res = await fetch(`${env.tool.url}/api/v1/spaces/launch`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'x' }),
      });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as any).error.code, 'API_KEY_INVALID');
    }
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ id: 'ok', user: { id: 'u', name: 'N', role: 7 } }, 'user.role'],
      [{ id: 'ok', user: { id: 'u', name: 'N', role: 'x'.repeat(65) } }, 'user.role'],
      [
        { id: 'ok', user: { id: 'u', name: 'N', custom_jwt_parameters: { meta: { displayName: '' } } } },
        'user.custom_jwt_parameters.meta.displayName',
      ],
      [{ id: 'ok', webhooks: { session: { start: 'ftp://x.example' } } }, 'webhooks.session.start'],
      [{ id: 'ok', webhooks: { session: { begin: 'https://x.example' } } }, 'webhooks.session'],
      [{ id: 'ok', name: 5 }, 'name'],
    ];
    for (const [body, path] of cases) {
      const res = await launch(body, 400);
      assert.equal(res.error.code, 'VALIDATION_FAILED');
      assert.ok(
        res.error.details.fields.some((f: { path: string }) => f.path === path),
        `${path} in ${JSON.stringify(res.error.details.fields)}`,
      );
    }
  });

  it('delivers session.start/end/idle and user.join/leave to the URL given per event, signed, with ours alongside', async () => {
    const base = `${receiver.url}/hooks/${randomUUID()}`;
    const webhooks = {
      url: `${base}/ours`,
      session: { start: `${base}/session-start`, end: `${base}/session-end`, idle: `${base}/session-idle` },
      user: { join: `${base}/user-join`, leave: `${base}/user-leave`, idle: null },
    };
    const host = await launch(
      {
        id: `hooks-${randomUUID().slice(0, 8)}`,
        user: { id: 'T1', name: 'Peter Parker', role: 'teacher', leader: true },
        webhooks,
      },
      201,
    );
    const secret = host.webhook_secret as string;
    assert.match(secret, /^whsec_/);
    const path = (name: string) => new URL(`${base}/${name}`).pathname;
    const assertSigned = (r: Received, type: string) => {
      assert.equal(r.payload.type, type);
      assert.equal(r.headers['x-liveclass-event'], type);
      assert.equal(r.headers['x-webhook-event'], type);
      assert.equal(r.headers['x-webhook-id'], r.payload.id);
      const signature = r.headers['x-liveclass-signature'] as string;
      assert.ok(verifySignature(secret, r.body, signature, Math.floor(Date.now() / 1000)), 'valid signature');
    };

    const grant = await (await follow(host.client_url)).joinGrant();
    const p = await TestParticipant.connect(grant);
    connected.push(p);
    await waitUntil(() => receiver.on(path('user-join')).length > 0, 10_000, 'user.join');
    await waitUntil(() => receiver.on(path('session-start')).length > 0, 10_000, 'session.start');
    const [join] = receiver.on(path('user-join')) as [Received];
    assertSigned(join, 'user.join');
    assert.deepEqual(join.payload.participant, { user_id: host.user_id, name: 'Peter Parker', role: 'instructor' });
    const [start] = receiver.on(path('session-start')) as [Received];
    assertSigned(start, 'session.start');
    assert.equal(join.payload.session_id, start.payload.session_id);

    await p.disconnect();
    await waitUntil(() => receiver.on(path('user-leave')).length > 0, 10_000, 'user.leave');
    await waitUntil(() => receiver.on(path('session-idle')).length > 0, 10_000, 'session.idle');
    assertSigned(receiver.on(path('user-leave'))[0] as Received, 'user.leave');
    assertSigned(receiver.on(path('session-idle'))[0] as Received, 'session.idle');

    await postLiveKit(env, {
      id: `EV_${randomUUID()}`,
      event: 'room_finished',
      createdAt: String(Math.floor(Date.now() / 1000)),
      room: { name: host.room_id, sid: 'RM_lessonspace' },
    });
    await waitUntil(() => receiver.on(path('session-end')).length > 0, 10_000, 'session.end');
    const [end] = receiver.on(path('session-end')) as [Received];
    assertSigned(end, 'session.end');
    assert.equal(end.payload.session_id, start.payload.session_id);

    // Our names went to our URL, each Lessonspace event only to its own.
    await waitUntil(() => receiver.on(path('ours'), 'session.ended').length > 0, 10_000, 'ours');
    const ours = new Set(receiver.on(path('ours')).map((r) => r.payload.type));
    for (const type of ['session.started', 'participant.joined', 'participant.left', 'session.ended']) {
      assert.ok(ours.has(type as never), type);
    }
    for (const name of ['session-start', 'session-end', 'session-idle', 'user-join', 'user-leave']) {
      assert.equal(receiver.on(path(name)).length, 1, name);
    }
  });
});
