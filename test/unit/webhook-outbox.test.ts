import { LAYOUT_DEFAULTS } from '../../src/rooms/room-facts.js';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createLogger } from '../../src/log.js';
import type { Space } from '../../src/integrations/space-store.js';
import { startDeliveryWorker } from '../../src/integrations/webhook-delivery.js';
import {
  backoffDelayMs,
  createWebhookEnqueuer,
  DEFAULT_BACKOFF_MS,
  outboxEventId,
  signatureHeader,
  verifySignature,
  wantsEvent,
  type AttemptOutcome,
  type OutboxItem,
  type OutboxStore,
  type SpaceEventType,
} from '../../src/integrations/webhook-outbox.js';
import type { TrackedEvent } from '../../src/rooms/session-tracker.js';
import type { RoomOwner } from '../../src/rooms/room-owner.js';
import type { RoomRecord } from '../../src/rooms/room-store.js';

const logger = createLogger('silent');
const SECRET = 'whsec_test';

/** In-memory OutboxStore with the same claim rules as the mongoose one. */
function memoryOutbox(): OutboxStore & { items: Map<string, OutboxItem> } {
  const items = new Map<string, OutboxItem>();
  return {
    items,
    async insert(item) {
      if (items.has(item.id)) return false;
      items.set(item.id, structuredClone(item));
      return true;
    },
    async claimDue(now, leaseUntil, leaseId) {
      const due = [...items.values()]
        .filter((i) => i.status === 'pending' && i.nextAttemptAt <= now && i.leaseUntil <= now)
        .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())[0];
      if (!due) return undefined;
      Object.assign(due, { leaseUntil, leaseId, attempts: due.attempts + 1 });
      return structuredClone(due);
    },
    async complete(id, leaseId, outcome: AttemptOutcome) {
      const item = items.get(id);
      if (!item || item.leaseId !== leaseId) return false;
      Object.assign(item, outcome, { leaseUntil: new Date(0), leaseId: undefined });
      return true;
    },
    async get(id) {
      return items.get(id);
    },
  };
}

const space = (extra: Partial<Space> = {}): Space => ({
  id: 'spc_1',
  apiKeyId: 'key_1',
  spaceId: 'algebra',
  roomKey: 'lc-room',
  activityId: 'act_1',
  webhooks: { url: 'https://acme.example/hooks' },
  webhookSecret: SECRET,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...extra,
});

const spaceOwner: RoomOwner = { kind: 'space', apiKeyId: 'key_1', spaceId: 'algebra' };
const room = (owner: RoomOwner = spaceOwner): RoomRecord => ({
  key: 'lc-room',
  owner,
  layout: LAYOUT_DEFAULTS,
  metadata: {},
  state: 'live',
  locked: false,
  chatEnabled: true,
  controls: {},
  createdAt: new Date(),
  updatedAt: new Date(),
});

const tracked = (type: TrackedEvent['type'], extra: Partial<TrackedEvent> = {}): TrackedEvent => ({
  type,
  sourceId: 'EV_1',
  room: room(),
  sessionId: 'ses_1',
  at: new Date('2025-01-01T10:00:00Z'),
  ...(type.startsWith('participant') ? { participant: { identity: 'u-1', name: 'Ada', role: 'instructor' } } : {}),
  ...extra,
});

describe('integrator webhooks: signature, backoff, filter', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 as t=<unix>,v1=<hex>', () => {
    const body = '{"id":"evt_1"}';
    const header = signatureHeader(SECRET, body, 1735725600);
    const hex = createHmac('sha256', SECRET).update(`1735725600.${body}`).digest('hex');
    assert.equal(header, `t=1735725600,v1=${hex}`);
    assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('verifies a signature, and refuses another secret, body or a stale timestamp', () => {
    const body = '{"a":1}';
    const header = signatureHeader(SECRET, body, 1000);
    const cases: Array<[string, string, string | undefined, number, boolean]> = [
      ['valid', SECRET, header, 1000, true],
      ['within tolerance', SECRET, header, 1299, true],
      ['too old', SECRET, header, 1301, false],
      ['other secret', 'whsec_other', header, 1000, false],
      ['missing header', SECRET, undefined, 1000, false],
      ['garbage', SECRET, 't=x,v1=zz', 1000, false],
    ];
    for (const [name, secret, h, now, expected] of cases) {
      assert.equal(verifySignature(secret, body, h, now), expected, name);
    }
    assert.equal(verifySignature(SECRET, '{"a":2}', header, 1000), false, 'other body');
  });

  it('backs off 5 s, 30 s, 2 min, 10 min, then 1 h', () => {
    const table: Array<[number, number]> = [
      [1, 5_000],
      [2, 30_000],
      [3, 120_000],
      [4, 600_000],
      [5, 3_600_000],
      [7, 3_600_000],
    ];
    for (const [failed, delay] of table) assert.equal(backoffDelayMs(failed), delay, `after ${failed}`);
    assert.deepEqual(DEFAULT_BACKOFF_MS, [5_000, 30_000, 120_000, 600_000, 3_600_000]);
    assert.equal(backoffDelayMs(3, [10, 20]), 20, 'the last entry repeats');
  });

  it('filters by webhooks.events: absent = all, a list = only those', () => {
    const table: Array<[Space['webhooks'], SpaceEventType, boolean]> = [
      [{ url: 'https://x.example' }, 'participant.left', true],
      [{ url: 'https://x.example', events: ['session.started'] }, 'session.started', true],
      [{ url: 'https://x.example', events: ['session.started'] }, 'participant.joined', false],
      [{ url: 'https://x.example', events: [] }, 'session.started', false],
      [undefined, 'session.started', false],
    ];
    for (const [webhooks, type, expected] of table) {
      assert.equal(wantsEvent(webhooks, type), expected, `${JSON.stringify(webhooks)} ${type}`);
    }
  });

  it('derives one event id per fact and type', () => {
    assert.equal(outboxEventId('EV_1', 'participant.joined'), outboxEventId('EV_1', 'participant.joined'));
    assert.notEqual(outboxEventId('EV_1', 'participant.joined'), outboxEventId('EV_1', 'session.started'));
    assert.match(outboxEventId('EV_1', 'participant.joined'), /^evt_[A-Za-z0-9_-]{32}$/);
  });
});

describe('integrator webhooks: enqueuer', () => {
  const setup = (s: Space | undefined) => {
    const outbox = memoryOutbox();
    let kicks = 0;
    const enqueue = createWebhookEnqueuer({
      spaces: { find: async (apiKeyId, spaceId) => (apiKeyId === 'key_1' && spaceId === 'algebra' ? s : undefined) },
      outbox,
      onEnqueued: () => (kicks += 1),
      logger,
    });
    return { outbox, enqueue, kicks: () => kicks };
  };

  it('queues the payload once per event id and kicks the worker', async () => {
    const { outbox, enqueue, kicks } = setup(space());
    await enqueue(tracked('participant.joined'));
    await enqueue(tracked('participant.joined'));
    assert.equal(outbox.items.size, 1);
    assert.equal(kicks(), 1);
    const [item] = [...outbox.items.values()];
    assert.deepEqual(item?.payload, {
      id: outboxEventId('EV_1', 'participant.joined'),
      type: 'participant.joined',
      created_at: '2025-01-01T10:00:00.000Z',
      space_id: 'algebra',
      room_id: 'lc-room',
      session_id: 'ses_1',
      participant: { user_id: 'u-1', name: 'Ada', role: 'instructor' },
    });
    assert.equal(item?.status, 'pending');
  });

  it('ignores LTI rooms, spaces without webhooks and unwanted events', async () => {
    const lti = setup(space());
    await lti.enqueue(
      tracked('session.started', {
        room: room({ kind: 'lti', platformId: 'https://lms.example', deploymentId: 'd', resourceLinkId: 'algebra' }),
      }),
    );
    assert.equal(lti.outbox.items.size, 0);
    const none = setup(space({ webhooks: undefined }));
    await none.enqueue(tracked('session.started'));
    assert.equal(none.outbox.items.size, 0);
    const filtered = setup(space({ webhooks: { url: 'https://x.example', events: ['session.ended'] } }));
    await filtered.enqueue(tracked('session.started'));
    await filtered.enqueue(tracked('session.ended'));
    assert.deepEqual(
      [...filtered.outbox.items.values()].map((i) => i.type),
      ['session.ended'],
    );
  });
});

describe('integrator webhooks: delivery worker', () => {
  const seeded = async (s: Space = space()) => {
    const outbox = memoryOutbox();
    const enqueue = createWebhookEnqueuer({ spaces: { find: async () => s }, outbox, logger });
    await enqueue(tracked('session.started'));
    const [item] = [...outbox.items.values()];
    return { outbox, id: (item as OutboxItem).id };
  };
  type Call = { url: string; init: RequestInit };
  const fakeFetch = (statuses: number[], calls: Call[], headers: Record<string, string> = {}) =>
    (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), init: init as RequestInit });
      return new Response('x', { status: statuses.shift() ?? 200, headers });
    }) as typeof fetch;

  it('POSTs the signed JSON with the event headers, and marks a 2xx delivered', async () => {
    const { outbox, id } = await seeded();
    const calls: Call[] = [];
    const worker = startDeliveryWorker({
      outbox,
      spaces: { get: async () => space() },
      logger,
      fetch: fakeFetch([202], calls),
    });
    assert.equal(await worker.runOnce(), 1);
    await worker.stop();
    const [call] = calls;
    assert.equal(call?.url, 'https://acme.example/hooks');
    assert.equal(call?.init.method, 'POST');
    assert.equal(call?.init.redirect, 'manual');
    const headers = call?.init.headers as Record<string, string>;
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['x-liveclass-event'], 'session.started');
    assert.equal(headers['x-liveclass-delivery'], id);
    const body = call?.init.body as string;
    assert.equal(JSON.parse(body).id, id);
    assert.ok(verifySignature(SECRET, body, headers['x-liveclass-signature'], Math.floor(Date.now() / 1000)));
    const item = await outbox.get(id);
    assert.equal(item?.status, 'delivered');
    assert.equal(item?.lastStatusCode, 202);
    assert.ok(item?.finishedAt);
  });

  it('retries on the backoff schedule, keeps the last error, and fails after maxAttempts', async () => {
    const { outbox, id } = await seeded();
    let clock = new Date(Date.now() + 1);
    const calls: Call[] = [];
    const worker = startDeliveryWorker({
      outbox,
      spaces: { get: async () => space() },
      logger,
      fetch: fakeFetch([500, 503, 500], calls),
      now: () => clock,
      backoffMs: [1_000, 10_000],
      maxAttempts: 3,
    });
    await worker.runOnce();
    let item = await outbox.get(id);
    assert.equal(item?.status, 'pending');
    assert.equal(item?.attempts, 1);
    assert.equal(item?.lastStatusCode, 500);
    assert.equal(item?.lastError, 'HTTP 500');
    assert.equal(item?.nextAttemptAt.getTime(), clock.getTime() + 1_000);
    assert.equal(await worker.runOnce(), 0, 'not due yet');
    clock = new Date(clock.getTime() + 1_000);
    await worker.runOnce();
    item = await outbox.get(id);
    assert.equal(item?.lastStatusCode, 503);
    assert.equal(item?.nextAttemptAt.getTime(), clock.getTime() + 10_000);
    clock = new Date(clock.getTime() + 10_000);
    await worker.runOnce();
    item = await outbox.get(id);
    assert.equal(item?.status, 'failed');
    assert.equal(item?.attempts, 3);
    assert.ok(item?.finishedAt);
    assert.equal(calls.length, 3);
    await worker.stop();
  });

  it('does not follow redirects and records transport errors', async () => {
    const { outbox, id } = await seeded();
    const calls: Call[] = [];
    const redirecting = startDeliveryWorker({
      outbox,
      spaces: { get: async () => space() },
      logger,
      fetch: fakeFetch([302], calls, { location: 'http://169.254.169.254/' }),
    });
    await redirecting.runOnce();
    await redirecting.stop();
    assert.match(
      (await outbox.get(id))?.lastError ?? '',
      /redirect not followed \(302 to http:\/\/169\.254\.169\.254\/\)/,
    );
    assert.equal(calls.length, 1);

    const refused = startDeliveryWorker({
      outbox,
      spaces: { get: async () => space() },
      logger,
      now: () => new Date(Date.now() + 60_000),
      fetch: (async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      }) as typeof fetch,
    });
    await refused.runOnce();
    await refused.stop();
    const item = await outbox.get(id);
    assert.equal(item?.lastError, 'ECONNREFUSED');
    assert.equal(item?.lastStatusCode, undefined);
    assert.equal(item?.attempts, 2);
  });

  it('gives up at once when the space no longer has webhooks', async () => {
    const { outbox, id } = await seeded();
    const worker = startDeliveryWorker({ outbox, spaces: { get: async () => undefined }, logger });
    await worker.runOnce();
    await worker.stop();
    assert.equal((await outbox.get(id))?.status, 'failed');
  });
});
