import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { ensureIndexes } from '../../src/db/indexes.js';
import { createOutboxStore, outboxIndexes } from '../../src/db/outbox-store.js';
import { createRoomStore } from '../../src/db/room-store.js';
import { createVideoRoomStore, VIDEO_ROOM_INDEXES } from '../../src/db/video-room-store.js';
import type { RoomStore } from '../../src/rooms/room-store.js';
import type { Space } from '../../src/integrations/space-store.js';
import { startDeliveryWorker } from '../../src/integrations/webhook-delivery.js';
import type { OutboxItem } from '../../src/integrations/webhook-outbox.js';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { createLogger } from '../../src/log.js';
import { createLaunchStore } from '../../src/db/launch-store.js';
import { demoLoginParams } from '../support/lti-launch.js';
import { startToolProcess, type ToolProcess } from '../support/tool-process.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/**
 * Two writers meeting on one store: two tool instances (the default test tool and a second one sharing its
 * database) or two store instances on their own connections (two processes' worth of stores, without any
 * in-process queue between them). FerretDB v1 makes only unique-key inserts atomic (docs/architecture.md,
 * "Stores"), so each race here ends with exactly the facts one writer would have left.
 */
describe('concurrency: two writers on one store', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let other: TestEnvironment;
  let dbs: Database[] = [];

  before(async () => {
    env = await useTestEnvironment();
    other = await useTestEnvironment({ LOG_LEVEL: 'error' });
    const open = () =>
      openDatabase({ uri: env.stack.mongoUri, serverSelectionTimeoutMs: 2000, logger: createLogger('silent') });
    dbs = await Promise.all([open(), open()]);
  });
  after(async () => {
    await Promise.all(dbs.map((db) => db.close()));
  });

  describe('launch state', () => {
    it('lets exactly one of many concurrent consumers of one state through', async () => {
      const stores = dbs.map((db) => createLaunchStore(db.connection));
      // Several states at once, each raced by several consumers on two connections.
      const states = Array.from({ length: 10 }, (_, i) => `st-race-${Date.now()}-${i}`);
      for (const state of states) {
        await stores[0]!.saveLogin({
          state,
          nonce: 'n',
          issuer: 'https://lms.example',
          clientId: 'c',
          platformId: 'p',
          expiresAt: new Date(Date.now() + 60_000),
        });
      }
      const results = await Promise.all(
        states.flatMap((state) =>
          Array.from({ length: 5 }, (_, i) =>
            stores[i % 2]!.consumeLogin(state, 60_000).then((r) => [state, r.status]),
          ),
        ),
      );
      for (const state of states) {
        const statuses = results.filter(([s]) => s === state).map(([, status]) => status);
        assert.deepEqual(
          statuses.filter((s) => s === 'ok'),
          ['ok'],
          `${state}: ${statuses.join(',')}`,
        );
      }
    });

    it('accepts one launch when the same state is posted to two tools at once', async () => {
      const demo = env.tool.demo as DemoPlatform;
      const login = await fetch(
        `${env.tool.url}/lti/login?${new URLSearchParams(demoLoginParams(demo, env.config.server.publicUrl, { login_hint: 'student-1' }))}`,
        { redirect: 'manual' },
      );
      assert.equal(login.status, 302);
      const state = new URL(login.headers.get('location') as string).searchParams.get('state') as string;
      const nonce = new URL(login.headers.get('location') as string).searchParams.get('nonce') as string;
      const cookie = login.headers
        .getSetCookie()
        .map((line) => line.split(';')[0])
        .join('; ');
      const body = new URLSearchParams({
        id_token: demo.sign(demo.idTokenClaims({ role: 'student', nonce })),
        state,
      }).toString();
      const post = (url: string) =>
        fetch(`${url}/lti/launch`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body,
        });
      // The id_token names the default tool as its target, so the second tool would refuse it later on
      // (LTI_TARGET_LINK_INVALID): what counts is that exactly one request gets past the state.
      const answers = await Promise.all([post(env.tool.url), post(other.tool.url), post(env.tool.url)]);
      const outcomes = await Promise.all(
        answers.map(async (r) => (r.status === 303 ? 'ok' : /<code>([A-Z_]+)<\/code>/.exec(await r.text())?.[1])),
      );
      assert.equal(outcomes.filter((o) => o !== 'LTI_STATE_REUSED').length, 1, outcomes.join(','));
    });
  });

  describe('LiveKit webhooks', () => {
    /** Signs like livekit-server does: a JWT from the API key whose sha256 claim covers the raw body. */
    async function post(toolUrl: string, body: string): Promise<Response> {
      const at = new AccessToken(env.stack.livekit.apiKey, env.stack.livekit.apiSecret);
      at.sha256 = createHash('sha256').update(body).digest('base64');
      return fetch(`${toolUrl}/hooks/livekit`, {
        method: 'POST',
        headers: { 'content-type': 'application/webhook+json', authorization: await at.toJwt() },
        body,
      });
    }
    const join = (roomKey: string, identity: string, id = `EV_${randomUUID()}`) =>
      JSON.stringify({
        id,
        event: 'participant_joined',
        createdAt: String(Math.floor(Date.now() / 1000)),
        room: { name: roomKey, sid: 'RM_race' },
        participant: { identity, sid: `PA_${identity}`, name: 'Racer', metadata: '{}' },
      });
    /** A room of its own, unknown to LiveKit: the tracker only needs its record. */
    async function freshRoom(): Promise<string> {
      const key = `race-${randomUUID()}`;
      await createRoomStore(dbs[0]!.connection).ensure({
        key,
        owner: { kind: 'lti', platformId: 'race-platform', deploymentId: 'd', resourceLinkId: key },
      });
      return key;
    }
    const sessionsOf = (roomKey: string) => dbs[0]!.connection.collection('room_sessions').countDocuments({ roomKey });

    it('applies one webhook delivered to two tools at once once: one session, one join', async () => {
      const roomKey = await freshRoom();
      const body = join(roomKey, 'u-race-once');
      const answers = await Promise.all([post(env.tool.url, body), post(other.tool.url, body)]);
      assert.deepEqual(
        answers.map((r) => r.status),
        [200, 200],
      );
      const store = createRoomStore(dbs[1]!.connection);
      assert.equal((await store.participantEvents(roomKey)).length, 1);
      assert.equal(await sessionsOf(roomKey), 1);
      assert.deepEqual((await store.currentClassSession(roomKey))?.present, ['u-race-once']);
    });

    it('keeps every join of many at once across two tools: one session, presence counts all', async () => {
      const roomKey = await freshRoom();
      const identities = Array.from({ length: 16 }, (_, i) => `u-race-many-${i}`);
      const answers = await Promise.all(
        identities.map((identity, i) => post(i % 2 ? other.tool.url : env.tool.url, join(roomKey, identity))),
      );
      assert.ok(answers.every((r) => r.status === 200));
      const store = createRoomStore(dbs[1]!.connection);
      assert.equal((await store.participantEvents(roomKey)).length, identities.length);
      assert.equal(await sessionsOf(roomKey), 1);
      const session = await store.currentClassSession(roomKey);
      assert.deepEqual([...(session?.present ?? [])].sort(), [...identities].sort());
      assert.equal(session?.peakParticipants, identities.length);
    });
    describe('through two tool processes', () => {
      let second: ToolProcess | undefined;
      before(async () => {
        second = await startToolProcess(env);
      });
      after(async () => {
        await second?.stop();
      });

      it('keeps 50 joins at once: all present, peak 50, one session, no duplicate facts', async () => {
        const roomKey = await freshRoom();
        const identities = Array.from({ length: 50 }, (_, i) => `u-race-50-${i}`);
        const bodies = identities.map((identity) => join(roomKey, identity));
        const answers = await Promise.all(
          bodies.map((body, i) => post(i % 2 ? (second as ToolProcess).url : env.tool.url, body)),
        );
        assert.deepEqual(
          answers.map((r) => r.status),
          identities.map(() => 200),
        );
        // Redelivered once more, to both: nothing new is recorded.
        await Promise.all(bodies.slice(0, 10).map((body, i) => post(i % 2 ? env.tool.url : second!.url, body)));
        const store = createRoomStore(dbs[1]!.connection);
        const events = await store.participantEvents(roomKey);
        assert.equal(events.length, 50);
        assert.equal(new Set(events.map((e) => e.eventId)).size, 50);
        assert.equal(await sessionsOf(roomKey), 1);
        const session = await store.currentClassSession(roomKey);
        assert.deepEqual([...(session?.present ?? [])].sort(), [...identities].sort());
        assert.equal(session?.peakParticipants, 50);
        const facts = dbs[0]!.connection.collection('room_control_facts');
        assert.equal(await facts.countDocuments({ sessionId: session?.sessionId, kind: 'opened' }), 1);
        assert.equal((await store.get(roomKey))?.state, 'live');
      });
    });
  });

  describe('leader controls', () => {
    const room = async () => {
      const key = `race-lead-${randomUUID()}`;
      const owner = { kind: 'lti', platformId: 'race-platform', deploymentId: 'd', resourceLinkId: key } as const;
      await createRoomStore(dbs[0]!.connection).ensure({ key, owner });
      return key;
    };
    const stores = () => dbs.map((db) => createRoomStore(db.connection));

    it('keeps every action of two writers on 20 participants at once (mute, promote, remove)', async () => {
      const [a, b] = stores() as [RoomStore, RoomStore];
      const key = await room();
      await a.openClassSession(key, undefined, new Date());
      const identities = Array.from({ length: 20 }, (_, i) => `u-lead-${i}`);
      await Promise.all(
        identities.flatMap((identity, i) => {
          const [one, other] = i % 2 ? [a, b] : [b, a];
          return [
            one.change(key, { kind: 'muted', identity, source: 'microphone', value: true }),
            other.change(key, { kind: 'promoted', identity, value: true }),
            one.change(key, { kind: 'removed', identity, value: true }),
            other.change(key, { kind: 'muted', identity, source: 'camera', value: true }),
          ];
        }),
      );
      const controls = (await b.get(key))?.controls ?? {};
      for (const identity of identities) {
        assert.deepEqual(
          controls[identity],
          { mutedSources: ['camera', 'microphone'], promoted: true, removed: true },
          identity,
        );
      }
    });

    it('keeps a lock and a chat switch flipped at once on two connections', async () => {
      const [a, b] = stores() as [RoomStore, RoomStore];
      const keys = await Promise.all(Array.from({ length: 10 }, room));
      await Promise.all(keys.map((key) => a.openClassSession(key, undefined, new Date())));
      await Promise.all(
        keys.flatMap((key) => [
          a.change(key, { kind: 'locked', value: true }),
          b.change(key, { kind: 'chat', value: false }),
        ]),
      );
      for (const key of keys) {
        const r = await a.get(key);
        assert.deepEqual([r?.locked, r?.chatEnabled], [true, false], key);
      }
    });

    it('records a repeated action once (a retry, or two leaders doing the same)', async () => {
      const [a, b] = stores() as [RoomStore, RoomStore];
      const key = await room();
      const mute = { kind: 'muted', identity: 'u-twice', source: 'microphone', value: true } as const;
      await Promise.all([a.change(key, mute), b.change(key, mute), a.change(key, mute), b.change(key, mute)]);
      const facts = dbs[0]!.connection.collection('room_control_facts');
      assert.equal(await facts.countDocuments({ roomKey: key, identity: 'u-twice' }), 1);
    });

    it('keeps a waiting decision made while a session opens or closes-and-reopens', async () => {
      const [a, b] = stores() as [RoomStore, RoomStore];
      const keys = await Promise.all(Array.from({ length: 10 }, room));
      // Half knocked before any class, half during a class that then ended with them still waiting.
      for (const [i, key] of keys.entries()) {
        if (i % 2) await a.openClassSession(key, undefined, new Date());
        await a.change(key, { kind: 'knock', identity: 'u-waiter', name: 'W', role: 'participant' });
        if (i % 2) await a.closeClassSession(key, new Date());
      }
      const decisions = await Promise.all(
        keys.flatMap((key) => [
          a.decideWaiting(key, 'u-waiter', 'admitted'),
          b.openClassSession(key, undefined, new Date()).then(() => 'opened'),
        ]),
      );
      assert.equal(decisions.filter((d) => d === 'admitted').length, keys.length);
      for (const key of keys) {
        const r = await b.get(key);
        assert.equal(r?.state, 'live', key);
        assert.equal(r?.controls['u-waiter']?.waiting, 'admitted', key);
      }
    });
  });

  describe('video rooms', () => {
    it('stores one version n of a room and one use of a refresh token, of many writers on two connections', async () => {
      await ensureIndexes(dbs[0]!.connection, VIDEO_ROOM_INDEXES, createLogger('silent'));
      const stores = dbs.map((db) => createVideoRoomStore(db.connection));
      const spaceRef = `spc_race_${randomUUID().slice(0, 8)}`;
      const at = new Date();
      const versions = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          stores[i % 2]!.addVersion({ spaceRef, version: 2, activityId: `act_${i}`, webhookUrl: null, at }),
        ),
      );
      assert.equal(versions.filter(Boolean).length, 1);
      const winner = versions.indexOf(true);
      assert.equal((await stores[1]!.latestVersion(spaceRef))?.activityId, `act_${winner}`);

      const tokenHash = createHash('sha256').update(spaceRef).digest('hex');
      const expiresAt = new Date(Date.now() + 60_000);
      const user = { id: 'u', name: 'U' };
      await stores[0]!.addRefresh({
        tokenHash,
        spaceRef,
        apiKeyId: 'key_race',
        user,
        role: 'participant',
        ttlSeconds: 60,
        createdAt: at,
        expiresAt,
      });
      const uses = await Promise.all(Array.from({ length: 10 }, (_, i) => stores[i % 2]!.useRefresh(tokenHash, at)));
      assert.equal(uses.filter(Boolean).length, 1);
    });
  });

  describe('integrator outbox', () => {
    it('sends each item once when two workers on two connections claim at once', async () => {
      const collection = `test_outbox_race_${randomUUID().slice(0, 8)}`;
      const logger = createLogger('silent');
      await ensureIndexes(dbs[0]!.connection, outboxIndexes(collection), logger);
      const outboxes = dbs.map((db) => createOutboxStore(db.connection, collection));
      const at = new Date(Date.now() - 1000);
      const ids = Array.from({ length: 30 }, (_, i) => `evt_race_${i}`);
      for (const id of ids) {
        const item: OutboxItem = {
          id,
          spaceRef: 'spc_race',
          type: 'participant.joined',
          payload: {
            id,
            type: 'participant.joined',
            created_at: at.toISOString(),
            space_id: 's',
            room_id: 'r',
            session_id: null,
          },
          status: 'pending',
          attempts: 0,
          nextAttemptAt: at,
          leaseUntil: new Date(0),
          createdAt: at,
        };
        assert.equal(await outboxes[0]!.insert(item), true);
      }
      const space = { id: 'spc_race', webhooks: { url: 'http://receiver.invalid/hook' }, webhookSecret: 'whsec_race' };
      const sent: string[] = [];
      const fetchStub = (async (_url: string, init: RequestInit) => {
        sent.push((JSON.parse(init.body as string) as { id: string }).id);
        await new Promise((r) => setTimeout(r, 5));
        return new Response(null, { status: 204 });
      }) as unknown as typeof fetch;
      const workers = outboxes.map((outbox) =>
        startDeliveryWorker({
          outbox,
          spaces: { get: async () => space as unknown as Space },
          logger,
          intervalMs: 60_000,
          fetch: fetchStub,
        }),
      );
      try {
        await Promise.all(workers.map((w) => w.runOnce()));
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
      assert.deepEqual([...sent].sort(), [...ids].sort(), 'each item sent exactly once');
      for (const id of ids) {
        const item = await outboxes[1]!.get(id);
        assert.equal(item?.status, 'delivered', id);
        assert.equal(item?.attempts, 1, id);
      }
    });
  });

  describe('waiting room', () => {
    it('keeps one decision when instructors on two instances admit and deny at once', async () => {
      const stores = dbs.map((db) => createRoomStore(db.connection));
      const key = `race-wait-${randomUUID()}`;
      await stores[0]!.ensure({
        key,
        owner: { kind: 'lti', platformId: 'race-platform', deploymentId: 'd', resourceLinkId: key },
      });
      const identity = 'u-race-waiter';
      await stores[0]!.change(key, { kind: 'knock', identity, name: 'W', role: 'participant' });
      const wanted = Array.from({ length: 10 }, (_, i) => (i % 2 ? 'admitted' : 'denied') as 'admitted' | 'denied');
      const answers = await Promise.all(wanted.map((d, i) => stores[i % 2]!.decideWaiting(key, identity, d)));
      assert.equal(new Set(answers).size, 1, answers.join(','));
      assert.equal((await stores[1]!.get(key))?.controls[identity]?.waiting, answers[0]);
    });
  });
});
