import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { createRoomStore } from '../../src/db/room-store.js';
import { type Database } from '../../src/db/connection.js';
import { LaunchedUser } from '../support/room-client.js';
import { openTestDatabase, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

describe('LiveKit webhooks', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let db: Database;
  let roomKey: string;
  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
    roomKey = (await (await LaunchedUser.launch(env.tool.url, 'student')).joinGrant()).room;
  });
  after(() => db.close());

  /** Signs like livekit-server does: a JWT from the API key whose sha256 claim covers the raw body. */
  async function post(body: string, secret = env.stack.livekit.apiSecret): Promise<Response> {
    const at = new AccessToken(env.stack.livekit.apiKey, secret);
    at.sha256 = createHash('sha256').update(body).digest('base64');
    return fetch(`${env.tool.url}/hooks/livekit`, {
      method: 'POST',
      headers: { 'content-type': 'application/webhook+json', authorization: await at.toJwt() },
      body,
    });
  }

  const event = (kind: string, identity: string, at: number, id = `EV_${randomUUID()}`) =>
    JSON.stringify({
      id,
      event: kind,
      createdAt: String(at),
      room: { name: roomKey, sid: 'RM_test' },
      participant: { identity, sid: `PA_${identity}`, name: 'Test', metadata: '{"role":"participant"}' },
    });

  it('records an event once, however often it is delivered', async () => {
    const body = event('participant_joined', 'u-0000000000000000000000aa', Math.floor(Date.now() / 1000));
    const first = await post(body);
    assert.equal(first.status, 200, await first.clone().text());
    assert.deepEqual(await first.json(), { ok: true, duplicate: false });
    const again = await post(body);
    assert.deepEqual(await again.json(), { ok: true, duplicate: true });
    const id = (JSON.parse(body) as { id: string }).id;
    const events = (await createRoomStore(db.connection).participantEvents(roomKey)).filter((e) => e.eventId === id);
    assert.equal(events.length, 1);
  });

  it('keeps presence right when a leave arrives before the join it follows', async () => {
    const identity = 'u-0000000000000000000000bb';
    const t = Math.floor(Date.now() / 1000);
    assert.equal((await post(event('participant_left', identity, t + 5))).status, 200);
    assert.equal((await post(event('participant_joined', identity, t))).status, 200);
    const session = await createRoomStore(db.connection).currentClassSession(roomKey);
    assert.ok(session);
    assert.ok(!session.present.includes(identity), 'the later leave wins');
  });

  it('refuses a missing or wrong signature with 401 and records nothing', async () => {
    const body = event('participant_joined', 'u-0000000000000000000000cc', Math.floor(Date.now() / 1000));
    const unsigned = await fetch(`${env.tool.url}/hooks/livekit`, { method: 'POST', body });
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as any).error.code, 'LIVEKIT_WEBHOOK_UNAUTHORIZED');
    const forged = await post(body, 'f'.repeat(64));
    assert.equal(forged.status, 401);
    // The signature covers the body: a valid token for a different body is refused too.
    const at = new AccessToken(env.stack.livekit.apiKey, env.stack.livekit.apiSecret);
    at.sha256 = createHash('sha256').update('{}').digest('base64');
    const swapped = await fetch(`${env.tool.url}/hooks/livekit`, {
      method: 'POST',
      headers: { authorization: await at.toJwt() },
      body,
    });
    assert.equal(swapped.status, 401);
    const id = (JSON.parse(body) as { id: string }).id;
    assert.equal(
      (await createRoomStore(db.connection).participantEvents(roomKey)).filter((e) => e.eventId === id).length,
      0,
    );
  });

  it('answers a signed body that is not an event with 4xx, never 500', async () => {
    const res = await post('{"not":"an event"');
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
  });
});
