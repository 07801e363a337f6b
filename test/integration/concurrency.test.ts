import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { ensureIndexes } from '../../src/db/indexes.js';
import { createOutboxStore, outboxIndexes } from '../../src/db/outbox-store.js';
import { createRoomStore } from '../../src/db/room-store.js';
import type { Space } from '../../src/integrations/spaces.js';
import { startDeliveryWorker } from '../../src/integrations/webhook-delivery.js';
import type { OutboxItem } from '../../src/integrations/webhook-outbox.js';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { createLogger } from '../../src/log.js';
import { createLaunchStore } from '../../src/db/launch-store.js';
import { demoLoginParams } from '../support/lti-launch.js';
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
      assert.deepEqual((await store.currentSession(roomKey))?.present, ['u-race-once']);
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
      const session = await store.currentSession(roomKey);
      assert.deepEqual([...(session?.present ?? [])].sort(), [...identities].sort());
      assert.equal(session?.peakParticipants, identities.length);
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
      await stores[0]!.setControl(key, identity, { waiting: 'pending', name: 'W', waitingSince: new Date() });
      const wanted = Array.from({ length: 10 }, (_, i) => (i % 2 ? 'admitted' : 'denied') as 'admitted' | 'denied');
      const answers = await Promise.all(wanted.map((d, i) => stores[i % 2]!.decideWaiting(key, identity, d)));
      assert.equal(new Set(answers).size, 1, answers.join(','));
      assert.equal((await stores[1]!.get(key))?.controls[identity]?.waiting, answers[0]);
    });
  });
});
