import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Database } from '../../src/db/connection.js';
import { createRecordingStore } from '../../src/db/recording-store.js';
import type { RecordingStore } from '../../src/recordings/recording-store.js';
import { createApiKey, fetchWithApiKey, type CreatedApiKey } from '../support/api-keys.js';
import { makeRecording } from '../support/recordings.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';
import { openTestDatabase, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/** The integrator API's recordings of a space's room (x-api-key), and the live sessions' real counts. */
describe('integrator API: recordings of a room', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let db: Database;
  let store: RecordingStore;
  let dir: string;
  let key: CreatedApiKey;
  let nosy: CreatedApiKey;
  const connected: TestParticipant[] = [];

  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
    store = createRecordingStore(db.connection);
    dir = env.config.recordings.dir;
    key = await createApiKey(env, 'recordings');
    nosy = await createApiKey(env, 'nosy');
  });
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((p) => p.disconnect()));
  });
  after(() => db?.close());

  const v1 = (method: string, route: string, apiKey = key.key, body?: unknown) =>
    fetchWithApiKey(`${env.tool.url}/api/v1${route}`, method, apiKey, body);
  const json = async (res: Response, status = 200): Promise<any> => {
    const text = await res.text();
    assert.equal(res.status, status, text);
    return text ? JSON.parse(text) : undefined;
  };
  const code = async (res: Response) => ((await res.json()) as any).error.code as string;
  /** A space of `key`, launched by its host: the room id and the host's join link. */
  async function space(
    title = 'Algebra week 3',
    recording?: Record<string, unknown>,
  ): Promise<{ roomId: string; clientUrl: string }> {
    const body = await json(
      await v1('POST', '/spaces/launch', key.key, {
        id: `rec-${randomUUID().slice(0, 8)}`,
        user: { id: 'host', name: 'Host', leader: true },
        settings: { title, ...(recording ? { recording } : {}) },
      }),
      201,
    );
    return { roomId: body.room_id, clientUrl: body.client_url };
  }
  const local = (url: string) => url.replace(env.config.server.publicUrl, env.tool.url);

  it('lists, filters and gets a room’s recordings, finished ones with signed URLs that play', async () => {
    // The space keeps its recordings 30 days (its launch said so).
    const { roomId } = await space('Algebra week 3', { viewers: 'course', retentionDays: 30 });
    const ready = await makeRecording(store, dir, { roomKey: roomId, requestedAt: new Date(Date.now() - 3600_000) });
    const running = await makeRecording(store, dir, { roomKey: roomId, state: 'recording' });
    await makeRecording(store, dir, { roomKey: roomId, kind: 'stream' });

    const list = await json(await v1('GET', `/rooms/${roomId}/recordings`));
    assert.equal(list.room_id, roomId);
    assert.deepEqual(
      list.recordings.map((r: any) => r.recording_id),
      [running.recording.recordingId, ready.recording.recordingId],
      'newest first, streams left out',
    );
    const [live, done] = list.recordings;
    assert.equal(live.status, 'recording');
    assert.equal(live.play_url, null);
    assert.equal(live.urls_expire_at, null);
    assert.equal(done.status, 'ready');
    assert.equal(done.session_id, ready.recording.sessionId);
    assert.equal(done.duration_ms, 2000);
    assert.equal(done.size_bytes, ready.sizeBytes);
    assert.equal(done.audio_only, false);
    const kept = Date.parse(done.kept_until) - Date.parse(done.requested_at);
    assert.equal(kept, 30 * 86_400_000);
    assert.ok(Date.parse(done.urls_expire_at) > Date.now());
    const played = await fetch(local(done.play_url));
    assert.equal(played.status, 200);
    assert.equal(played.headers.get('cross-origin-resource-policy'), 'cross-origin', 'plays in the integrator’s page');
    assert.ok(Buffer.from(await played.arrayBuffer()).equals(await readFile(ready.file)));
    const downloaded = await fetch(local(done.download_url), { headers: { range: 'bytes=0-9' } });
    assert.equal(downloaded.status, 206);
    assert.match(downloaded.headers.get('content-disposition') ?? '', /^attachment; filename="Algebra week 3 - \d{4}-/);

    const filtered = async (query: string) =>
      (await json(await v1('GET', `/rooms/${roomId}/recordings?${query}`))).recordings.map((r: any) => r.recording_id);
    assert.deepEqual(await filtered(`session_id=${ready.recording.sessionId}`), [ready.recording.recordingId]);
    assert.deepEqual(await filtered('status=recording'), [running.recording.recordingId]);
    const cut = new Date(Date.now() - 60_000).toISOString();
    assert.deepEqual(await filtered(`before=${encodeURIComponent(cut)}`), [ready.recording.recordingId]);
    assert.deepEqual(await filtered(`after=${encodeURIComponent(cut)}`), [running.recording.recordingId]);

    const one = await json(await v1('GET', `/rooms/${roomId}/recordings/${ready.recording.recordingId}`));
    assert.equal(one.recording_id, ready.recording.recordingId);
    assert.ok(Date.parse(one.urls_expire_at) >= Date.parse(done.urls_expire_at), 'links as fresh as the answer');
    assert.equal((await fetch(local(one.play_url), { method: 'HEAD' })).status, 200);

    for (const bad of ['before=yesterday', 'status=lost', 'session_id=x', 'limit=5', 'after[$gt]=1']) {
      const res = await v1('GET', `/rooms/${roomId}/recordings?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(await code(res), 'VALIDATION_FAILED', bad);
    }
    const unknown = await v1('GET', `/rooms/${roomId}/recordings/ses_nope.r1`);
    assert.equal(unknown.status, 404);
    assert.equal(await code(unknown), 'RECORDING_NOT_FOUND');
    assert.equal((await v1('GET', `/rooms/${roomId}/recordings/not-an-id`)).status, 404);
  });

  it("answers another key's room and recordings with 404, and deletes nothing of it", async () => {
    const { roomId } = await space();
    const made = await makeRecording(store, dir, { roomKey: roomId });
    const id = made.recording.recordingId;
    for (const [method, route] of [
      ['GET', `/rooms/${roomId}/recordings`],
      ['GET', `/rooms/${roomId}/recordings/${id}`],
      ['DELETE', `/rooms/${roomId}/recordings/${id}`],
      ['DELETE', `/rooms/${roomId}/recordings?before=${encodeURIComponent(new Date().toISOString())}`],
    ] as const) {
      const res = await v1(method, route, nosy.key);
      assert.equal(res.status, 404, `${method} ${route}`);
      assert.equal(await code(res), 'SPACE_ROOM_NOT_FOUND');
    }
    // A recording of another room, under this key's own room id, is unknown too.
    const mine = await space();
    assert.equal(await code(await v1('GET', `/rooms/${mine.roomId}/recordings/${id}`)), 'RECORDING_NOT_FOUND');
    assert.equal((await v1('DELETE', `/rooms/${mine.roomId}/recordings/${id}`)).status, 404);
    assert.ok(existsSync(made.file));
    assert.equal((await v1('GET', `/rooms/${roomId}/recordings`, 'lck_not-a-key')).status, 401);
  });

  it('deletes one recording, then the rest by session and by date (never one still recording); audited', async () => {
    const { roomId } = await space();
    const sessionA = `ses_int${randomUUID().slice(0, 8)}`;
    const one = await makeRecording(store, dir, { roomKey: roomId });
    const a1 = await makeRecording(store, dir, { roomKey: roomId, sessionId: sessionA });
    const a2 = await makeRecording(store, dir, { roomKey: roomId, sessionId: sessionA });
    const old = await makeRecording(store, dir, {
      roomKey: roomId,
      requestedAt: new Date(Date.now() - 7 * 86_400_000),
    });
    const running = await makeRecording(store, dir, {
      roomKey: roomId,
      requestedAt: new Date(Date.now() - 3600_000),
      state: 'recording',
    });
    const fresh = await makeRecording(store, dir, { roomKey: roomId });

    assert.equal((await v1('DELETE', `/rooms/${roomId}/recordings/${one.recording.recordingId}`)).status, 204);
    assert.equal(existsSync(one.file), false);
    const deleted = await json(await v1('GET', `/rooms/${roomId}/recordings/${one.recording.recordingId}`));
    assert.equal(deleted.status, 'deleted');
    assert.ok(deleted.deleted_at);
    assert.equal(deleted.play_url, null);

    const noFilter = await v1('DELETE', `/rooms/${roomId}/recordings`);
    assert.equal(noFilter.status, 400);
    assert.equal(await code(noFilter), 'VALIDATION_FAILED');
    assert.equal((await v1('DELETE', `/rooms/${roomId}/recordings?before=soon`)).status, 400);

    const bySession = await json(await v1('DELETE', `/rooms/${roomId}/recordings?session_id=${sessionA}`));
    assert.deepEqual(bySession.deleted.sort(), [a1.recording.recordingId, a2.recording.recordingId].sort());
    assert.deepEqual(bySession.still_recording, []);
    const cut = encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
    const byDate = await json(await v1('DELETE', `/rooms/${roomId}/recordings?before=${cut}`));
    assert.deepEqual(byDate.deleted, [old.recording.recordingId]);
    assert.deepEqual(byDate.still_recording, [running.recording.recordingId]);
    for (const m of [a1, a2, old]) assert.equal(existsSync(m.file), false);
    for (const m of [running, fresh]) assert.ok(existsSync(m.file));

    const audit = await db.connection
      .collection('room_audit')
      .find({ roomKey: roomId, action: 'recording.deleted' })
      .toArray();
    assert.equal(audit.length, 4);
    assert.ok(audit.every((e) => e.actor === `key:${key.id}`));
  });

  it('counts a live session’s recordings and live streams (failed and deleted left out)', async () => {
    const { roomId, clientUrl } = await space();
    const joined = await fetch(local(clientUrl), { redirect: 'manual' });
    const token = decodeURIComponent(/#token=(.+)$/.exec(joined.headers.get('location') ?? '')?.[1] ?? '');
    const host = new LaunchedUser(env.tool.url, token);
    connected.push(await TestParticipant.connect(await host.joinGrant()));
    const liveSession = async () =>
      ((await json(await v1('GET', '/live-sessions'))).liveSessions as any[]).find((s) => s.roomId === roomId);
    await waitUntil(async () => (await liveSession())?.currentPeerCount === 1, 10_000, 'join webhook');
    const status = await json(await v1('GET', `/rooms/${roomId}/status`));
    const sessionId = status.session_id as string;
    assert.deepEqual([(await liveSession()).recordingCount, (await liveSession()).livestreamCount], [0, 0]);

    await makeRecording(store, dir, { roomKey: roomId, sessionId });
    await makeRecording(store, dir, { roomKey: roomId, sessionId, state: 'recording' });
    await makeRecording(store, dir, { roomKey: roomId, sessionId, state: 'failed' });
    const gone = await makeRecording(store, dir, { roomKey: roomId, sessionId });
    await makeRecording(store, dir, { roomKey: roomId, sessionId, kind: 'stream' });
    await makeRecording(store, dir, { roomKey: roomId, sessionId, kind: 'stream', state: 'failed' });
    assert.equal((await v1('DELETE', `/rooms/${roomId}/recordings/${gone.recording.recordingId}`)).status, 204);

    const counted = await liveSession();
    assert.equal(counted.recordingCount, 2);
    assert.equal(counted.livestreamCount, 1);
    const one = await json(await v1('GET', `/live-sessions/${roomId}`));
    assert.equal(one.recordingCount, 2);
    assert.equal(one.livestreamCount, 1);
  });
});
