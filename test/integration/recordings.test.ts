import assert from 'node:assert/strict';
import { readFile, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../src/db/connection.js';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import { createRecordingStore } from '../../src/db/recording-store.js';
import { fileDate } from '../../src/recordings/download-name.js';
import type { RecordingStore } from '../../src/recordings/recording-store.js';
import { demoLoginParams, LtiBrowser, postLaunch, startToolLogin } from '../support/lti-launch.js';
import { makeRecording } from '../support/recordings.js';
import { LaunchedUser } from '../support/room-client.js';
import { openTestDatabase, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';

/**
 * Watching recordings back, without Egress: real MP4 files (ffmpeg) in the tool's recordings folder and
 * their recordings in the store, then the launcher API (who sees which, links, publish, delete) and the
 * signed-link file route (byte ranges checked byte for byte, expiry, forgeries, other rooms).
 */
describe('recordings: the launcher API and signed links to the files', function () {
  this.timeout(90_000);
  let env: TestEnvironment;
  let db: Database;
  let store: RecordingStore;
  let dir: string;

  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
    store = createRecordingStore(db.connection);
    dir = env.config.recordings.dir;
  });
  after(() => db?.close());

  interface Class {
    teacher: LaunchedUser;
    student: LaunchedUser;
    roomKey: string;
  }

  /** A new activity with these recording settings, its teacher and a student launched into it. */
  async function newClass(title: string, recording: Record<string, unknown>, url = env.tool.url): Promise<Class> {
    const activity = await LaunchedUser.createActivity(url, { title, recording });
    const teacher = await LaunchedUser.launch(url, 'instructor', activity);
    const student = await LaunchedUser.launch(url, 'student', activity);
    return { teacher, student, roomKey: (await teacher.joinGrant()).room };
  }

  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
  /** A signed link's URL as this test reaches the tool (its public URL is the same host here). */
  const local = (url: string) => url.replace(env.config.server.publicUrl, env.tool.url);
  const links = async (user: LaunchedUser, recordingId: string, status = 200) =>
    user.json('POST', `/room/recordings/${recordingId}/links`, undefined, status);

  it('lists a finished recording to its teacher and plays it through a signed link, byte ranges exact', async () => {
    const c = await newClass('Física 101: ondas', { viewers: 'published' });
    const made = await makeRecording(store, dir, { roomKey: c.roomKey, seconds: 3 });
    const file = await readFile(made.file);
    const size = file.length;

    const list = await c.teacher.json('GET', '/room/recordings');
    assert.equal(list.viewers, 'published');
    assert.equal(list.canManage, true);
    assert.equal(list.retentionDays, env.config.recordings.retentionDays);
    assert.equal(list.recordings.length, 1);
    const [r] = list.recordings;
    assert.equal(r.recordingId, made.recording.recordingId);
    assert.equal(r.status, 'ready');
    assert.equal(r.durationMs, 3000);
    assert.equal(r.sizeBytes, size);
    assert.equal(r.published, false);
    assert.ok(Date.parse(r.keptUntil) > Date.now() + 300 * 24 * 3600_000);

    const minted = await links(c.teacher, r.recordingId);
    const ttl = env.config.recordings.linkTtlSeconds * 1000;
    for (const link of [minted.play, minted.download]) {
      assert.ok(link.url.startsWith(`${env.config.server.publicUrl}/recordings/${r.recordingId}?token=`), link.url);
      assert.ok(Math.abs(Date.parse(link.expiresAt) - Date.now() - ttl) < 5000, link.expiresAt);
    }

    const whole = await fetch(local(minted.play.url));
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'video/mp4');
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.equal(whole.headers.get('content-length'), String(size));
    assert.equal(whole.headers.get('cache-control'), 'private, no-store');
    assert.equal(whole.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(whole.headers.get('cross-origin-resource-policy'), 'same-origin');
    assert.match(whole.headers.get('content-disposition') ?? '', /^inline; filename="Fisica 101 ondas - /);
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(file), 'the whole file, byte for byte');

    const ranged = async (range: string) => fetch(local(minted.play.url), { headers: { range } });
    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, size - 1],
      ['bytes=-50', size - 50, size - 1],
      [`bytes=${size - 10}-${size + 1000}`, size - 10, size - 1],
      ['bytes=1000-1000', 1000, 1000],
    ];
    for (const [range, from, to] of cases) {
      const res = await ranged(range);
      assert.equal(res.status, 206, range);
      assert.equal(res.headers.get('content-range'), `bytes ${from}-${to}/${size}`, range);
      assert.equal(res.headers.get('content-length'), String(to - from + 1), range);
      const body = Buffer.from(await res.arrayBuffer());
      assert.ok(body.equals(file.subarray(from, to + 1)), `${range}: the bytes of the file`);
    }
    for (const range of [`bytes=${size}-`, `bytes=${size + 5}-${size + 10}`]) {
      const res = await ranged(range);
      assert.equal(res.status, 416, range);
      assert.equal(res.headers.get('content-range'), `bytes */${size}`);
      assert.equal(await errorCode(res), 'RECORDING_RANGE_NOT_SATISFIABLE');
    }
    // Several ranges at once: the whole file (RFC 9110 lets a server ignore Range), never a 5xx.
    const several = await ranged('bytes=0-1,5-9');
    assert.equal(several.status, 200);
    assert.ok(Buffer.from(await several.arrayBuffer()).equals(file), 'several ranges: the whole file');
    const head = await fetch(local(minted.play.url), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(size));

    // The download: an attachment named after the activity and the recording's date, safe in any script.
    const download = await fetch(local(minted.download.url));
    assert.equal(download.status, 200);
    const disposition = download.headers.get('content-disposition') ?? '';
    // The date is the recording's start in the launch's timezone.
    const when = fileDate(new Date(r.startedAt), (await c.teacher.json('GET', '/me')).timezone);
    const encoded = encodeURIComponent(when);
    assert.equal(
      disposition,
      `attachment; filename="Fisica 101 ondas - ${when}.mp4"; filename*=UTF-8''F%C3%ADsica%20101%20ondas%20-%20${encoded}.mp4`,
    );
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(file));
  });

  it('refuses a forged, tampered, missing or borrowed token with 403 RECORDING_LINK_INVALID', async () => {
    const c = await newClass('Forgery check', { viewers: 'course' });
    const a = await makeRecording(store, dir, { roomKey: c.roomKey });
    const b = await makeRecording(store, dir, { roomKey: c.roomKey });
    const { play } = await links(c.teacher, a.recording.recordingId);
    const url = new URL(local(play.url));
    const token = url.searchParams.get('token') as string;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const other = Buffer.from(JSON.stringify({ ...claims, sub: b.recording.recordingId })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    const at = (id: string, t?: string) =>
      `${env.tool.url}/recordings/${id}${t === undefined ? '' : `?token=${encodeURIComponent(t)}`}`;
    const refusals: Array<[string, string]> = [
      ['no token', at(a.recording.recordingId)],
      ['an empty token', at(a.recording.recordingId, '')],
      ['a flipped signature', at(a.recording.recordingId, `${header}.${payload}.${flipped}`)],
      ['claims changed to another recording', at(b.recording.recordingId, `${header}.${other}.${signature}`)],
      ['alg none', at(a.recording.recordingId, `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`)],
      ['not a JWT', at(a.recording.recordingId, 'x'.repeat(40))],
      ["another recording's link", at(b.recording.recordingId, token)],
    ];
    for (const [what, target] of refusals) {
      const res = await fetch(target);
      assert.equal(res.status, 403, what);
      assert.equal(await errorCode(res), 'RECORDING_LINK_INVALID', what);
    }
    // A person who followed a bad link reads a page, not JSON.
    const page = await fetch(at(a.recording.recordingId, 'x'.repeat(40)), { headers: { accept: 'text/html' } });
    assert.equal(page.status, 403);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /RECORDING_LINK_INVALID/);
    // The genuine link still works.
    assert.equal((await fetch(url)).status, 200);
  });

  it('refuses an expired link with 403 RECORDING_LINK_EXPIRED (a tool whose links last 1 s)', async () => {
    const short = await useTestEnvironment({ RECORDING_LINK_TTL_SECONDS: '1' });
    assert.equal(short.config.recordings.linkTtlSeconds, 1);
    const c = await newClass('Expiry check', { viewers: 'course' }, short.tool.url);
    const made = await makeRecording(store, dir, { roomKey: c.roomKey });
    const { play, download } = await links(c.student, made.recording.recordingId);
    const fresh = await fetch(play.url.replace(short.config.server.publicUrl, short.tool.url));
    assert.equal(fresh.status, 200);
    await fresh.arrayBuffer();
    await sleep(Date.parse(play.expiresAt) - Date.now() + 1100);
    for (const link of [play, download]) {
      const res = await fetch(link.url.replace(short.config.server.publicUrl, short.tool.url));
      assert.equal(res.status, 403);
      assert.equal(await errorCode(res), 'RECORDING_LINK_EXPIRED');
    }
    // The default tool, which shares the signing key, refuses it just the same.
    assert.equal(
      await errorCode(await fetch(local(play.url.replace(short.config.server.publicUrl, env.config.server.publicUrl)))),
      'RECORDING_LINK_EXPIRED',
    );
    // A new link works again.
    const again = await links(c.student, made.recording.recordingId);
    assert.equal((await fetch(again.play.url.replace(short.config.server.publicUrl, short.tool.url))).status, 200);
  });

  it("never shows or opens another room's recording, in this course or another", async () => {
    const mine = await newClass('Mine', { viewers: 'course' });
    const theirs = await newClass('Theirs', { viewers: 'course' });
    const made = await makeRecording(store, dir, { roomKey: theirs.roomKey });
    const id = made.recording.recordingId;
    assert.deepEqual((await mine.teacher.json('GET', '/room/recordings')).recordings, []);
    for (const user of [mine.teacher, mine.student]) {
      const res = await user.request('POST', `/room/recordings/${id}/links`);
      assert.equal(res.status, 404);
      assert.equal(await errorCode(res), 'RECORDING_NOT_FOUND');
    }
    assert.equal((await mine.teacher.request('DELETE', `/room/recordings/${id}`)).status, 404);
    assert.equal((await mine.teacher.request('POST', `/room/recordings/${id}/publish`)).status, 404);

    // A teacher of another course (another context of the same LMS) is as far away.
    const other = await launchInAnotherCourse('instructor');
    assert.deepEqual((await other.json('GET', '/room/recordings')).recordings, []);
    assert.equal(await errorCode(await other.request('POST', `/room/recordings/${id}/links`)), 'RECORDING_NOT_FOUND');
    assert.equal((await other.request('DELETE', `/room/recordings/${id}`)).status, 404);
    assert.ok((await stat(made.file)).size > 0, 'the file is still there');
    // Malformed ids are the same 404.
    for (const bad of ['nope', 'ses_x.s1', `${id}x`, '..%2F..%2Fetc'])
      assert.equal((await mine.teacher.request('POST', `/room/recordings/${bad}/links`)).status, 404, bad);
  });

  it('shows a teachers-only class its recordings to teachers alone', async () => {
    const c = await newClass('Teachers only', { viewers: 'instructors' });
    const made = await makeRecording(store, dir, { roomKey: c.roomKey });
    const id = made.recording.recordingId;
    assert.equal((await c.teacher.json('GET', '/room/recordings')).recordings.length, 1);
    const list = await c.student.request('GET', '/room/recordings');
    assert.equal(list.status, 403);
    assert.equal(await errorCode(list), 'RECORDING_FORBIDDEN');
    const refused = await c.student.request('POST', `/room/recordings/${id}/links`);
    assert.equal(refused.status, 403);
    assert.equal(await errorCode(refused), 'RECORDING_FORBIDDEN');
    assert.equal(
      await errorCode(await c.student.request('DELETE', `/room/recordings/${id}`)),
      'RECORDING_MANAGE_FORBIDDEN',
    );
    // Publishing is not how this class works.
    assert.equal(
      await errorCode(await c.teacher.request('POST', `/room/recordings/${id}/publish`)),
      'RECORDING_PUBLISHING_OFF',
    );
    assert.ok(await links(c.teacher, id));
  });

  it('shows everyone in the course every finished recording where viewers is course', async () => {
    const c = await newClass('Whole course', { viewers: 'course' });
    const ready = await makeRecording(store, dir, { roomKey: c.roomKey });
    const running = await makeRecording(store, dir, { roomKey: c.roomKey, state: 'recording' });
    const failed = await makeRecording(store, dir, { roomKey: c.roomKey, state: 'failed' });
    await makeRecording(store, dir, { roomKey: c.roomKey, kind: 'stream' });
    const teacherIds = (await c.teacher.json('GET', '/room/recordings')).recordings.map((r: any) => r.status);
    assert.deepEqual(teacherIds.sort(), ['failed', 'ready', 'recording'], 'streams are not recordings to watch');
    const studentList = (await c.student.json('GET', '/room/recordings')).recordings;
    assert.deepEqual(
      studentList.map((r: any) => r.recordingId),
      [ready.recording.recordingId],
    );
    assert.equal((await c.student.json('GET', '/room/recordings')).canManage, false);
    const { play } = await links(c.student, ready.recording.recordingId);
    assert.equal((await fetch(local(play.url))).status, 200);
    assert.equal(
      await errorCode(await c.teacher.request('POST', `/room/recordings/${running.recording.recordingId}/links`)),
      'RECORDING_NOT_READY',
    );
    assert.equal(
      await errorCode(await c.student.request('POST', `/room/recordings/${failed.recording.recordingId}/links`)),
      'RECORDING_NOT_FOUND',
    );
    assert.equal(
      await errorCode(await c.teacher.request('DELETE', `/room/recordings/${running.recording.recordingId}`)),
      'RECORDING_NOT_READY',
    );
  });

  it('publishes and takes back a recording; a student link minted while published stops with it', async () => {
    const c = await newClass('Publish flow', { viewers: 'published' });
    const made = await makeRecording(store, dir, { roomKey: c.roomKey });
    const id = made.recording.recordingId;
    assert.deepEqual((await c.student.json('GET', '/room/recordings')).recordings, []);
    assert.equal(
      await errorCode(await c.student.request('POST', `/room/recordings/${id}/links`)),
      'RECORDING_FORBIDDEN',
    );
    assert.equal(
      await errorCode(await c.student.request('POST', `/room/recordings/${id}/publish`)),
      'RECORDING_MANAGE_FORBIDDEN',
    );

    const published = await c.teacher.json('POST', `/room/recordings/${id}/publish`);
    assert.equal(published.published, true);
    // Twice is the same as once, and two teachers at once leave it published.
    await Promise.all([
      c.teacher.json('POST', `/room/recordings/${id}/publish`),
      c.teacher.json('POST', `/room/recordings/${id}/publish`),
    ]);
    const seen = (await c.student.json('GET', '/room/recordings')).recordings;
    assert.deepEqual(
      seen.map((r: any) => [r.recordingId, r.published]),
      [[id, true]],
    );
    const { play } = await links(c.student, id);
    assert.equal((await fetch(local(play.url))).status, 200);

    assert.equal((await c.teacher.json('POST', `/room/recordings/${id}/unpublish`)).published, false);
    assert.deepEqual((await c.student.json('GET', '/room/recordings')).recordings, []);
    const stopped = await fetch(local(play.url));
    assert.equal(stopped.status, 403);
    assert.equal(await errorCode(stopped), 'RECORDING_NOT_PUBLISHED');
    // The teacher's own links do not depend on it.
    assert.equal((await fetch(local((await links(c.teacher, id)).play.url))).status, 200);
    const audit = await db.connection.collection('room_audit').find({ roomKey: c.roomKey, target: id }).toArray();
    const actions = audit.map((e) => e.action as string);
    assert.deepEqual(actions.sort(), ['recording.published', 'recording.unpublished']);
  });

  it('deletes a recording for good: the file is gone, the recording marked, the deletion audited once', async () => {
    const c = await newClass('Delete me', { viewers: 'course' });
    const made = await makeRecording(store, dir, { roomKey: c.roomKey });
    const id = made.recording.recordingId;
    const { play } = await links(c.student, id);
    assert.equal(
      await errorCode(await c.student.request('DELETE', `/room/recordings/${id}`)),
      'RECORDING_MANAGE_FORBIDDEN',
    );
    await stat(made.file);

    assert.equal((await c.teacher.request('DELETE', `/room/recordings/${id}`)).status, 204);
    await assert.rejects(stat(made.file), { code: 'ENOENT' });
    const [listed] = (await c.teacher.json('GET', '/room/recordings')).recordings;
    assert.equal(listed.status, 'deleted');
    assert.ok(listed.deletedAt);
    assert.deepEqual((await c.student.json('GET', '/room/recordings')).recordings, []);
    const gone = await fetch(local(play.url));
    assert.equal(gone.status, 410);
    assert.equal(await errorCode(gone), 'RECORDING_DELETED');
    assert.equal(await errorCode(await c.teacher.request('POST', `/room/recordings/${id}/links`)), 'RECORDING_DELETED');
    // Deleting again changes nothing (and would finish a deletion a crash left halfway).
    assert.equal((await c.teacher.request('DELETE', `/room/recordings/${id}`)).status, 204);
    const facts = (await store.facts([id])).get(id) ?? [];
    const deleted = facts.filter((f) => f.kind === 'deleted');
    assert.equal(deleted.length, 1);
    assert.match(deleted[0]?.by ?? '', /^[a-z]-[0-9a-f]{8,}$/);
    const audit = await db.connection.collection('room_audit').find({ target: id }).toArray();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.action, 'recording.deleted');
    assert.equal(audit[0]?.actor, deleted[0]?.by);
    assert.equal(audit[0]?.roomKey, c.roomKey);
    assert.equal(audit[0]?.sessionId, made.recording.sessionId);
  });

  it("says so when a recording's file is not in the folder, when minting and when fetching", async () => {
    const c = await newClass('Missing file', { viewers: 'course' });
    const made = await makeRecording(store, dir, { roomKey: c.roomKey });
    const { play } = await links(c.teacher, made.recording.recordingId);
    await unlink(made.file);
    const fetched = await fetch(local(play.url));
    assert.equal(fetched.status, 404);
    assert.equal(await errorCode(fetched), 'RECORDING_FILE_MISSING');
    const minted = await c.teacher.request('POST', `/room/recordings/${made.recording.recordingId}/links`);
    assert.equal(minted.status, 404);
    assert.equal(await errorCode(minted), 'RECORDING_FILE_MISSING');
  });

  it('erases a teacher from the recordings they deleted and published (the acts stay)', async () => {
    const activity = await LaunchedUser.createActivity(env.tool.url, { title: 'Erasure', recording: {} });
    const teacher = await LaunchedUser.launch(env.tool.url, 'instructor', activity, 'rec-erased-teacher');
    const roomKey = (await teacher.joinGrant()).room;
    const kept = await makeRecording(store, dir, { roomKey });
    const gone = await makeRecording(store, dir, { roomKey });
    await teacher.json('POST', `/room/recordings/${kept.recording.recordingId}/publish`);
    assert.equal((await teacher.request('DELETE', `/room/recordings/${gone.recording.recordingId}`)).status, 204);
    const me = await teacher.json('GET', '/me');
    const res = await fetch(`${env.tool.url}/api/admin/erase-user`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.config.admin.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ platformId: me.platform.id, userId: 'rec-erased-teacher' }),
    });
    assert.equal(res.status, 200);
    const { erased } = (await res.json()) as { erased: Record<string, number> };
    assert.equal(erased.recordingActors, 2, JSON.stringify(erased));
    const [deleted] = ((await store.facts([gone.recording.recordingId])).get(gone.recording.recordingId) ?? []).filter(
      (f) => f.kind === 'deleted',
    );
    assert.equal(deleted?.by, 'erased');
    assert.equal(
      (await store.publications([kept.recording.recordingId])).get(kept.recording.recordingId)?.by,
      'erased',
    );
    assert.equal(
      (await store.publications([kept.recording.recordingId])).get(kept.recording.recordingId)?.published,
      true,
    );
  });

  it('limits writes per launch session like the other room routes', async () => {
    const limited = await useTestEnvironment({ ROOM_REQUEST_RATE_LIMIT: '3' });
    const c = await newClass('Rate limit', { viewers: 'course' }, limited.tool.url);
    const made = await makeRecording(store, dir, { roomKey: c.roomKey });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await c.teacher.request('POST', `/room/recordings/${made.recording.recordingId}/links`)).status);
    assert.deepEqual(statuses.slice(-2), [429, 429]);
    assert.equal((await c.teacher.request('GET', '/room/recordings')).status, 200, 'reads are not counted');
  });

  /** A launch into a course of the demo LMS other than its own (another context, another resource link). */
  async function launchInAnotherCourse(role: 'instructor' | 'student'): Promise<LaunchedUser> {
    const demo = env.tool.demo as DemoPlatform;
    const browser = new LtiBrowser(env.tool.url);
    const login = await startToolLogin(browser, demoLoginParams(demo, env.tool.url));
    const claims = demo.idTokenClaims({ role, nonce: login.nonce });
    claims[`${LTI}/context`] = { id: 'recordings-other-course', title: 'Another course' };
    claims[`${LTI}/resource_link`] = { id: 'recordings-other-link', title: 'Their class' };
    const result = await postLaunch(browser, { id_token: demo.sign(claims), state: login.state });
    assert.equal(result.status, 303, result.body.slice(0, 400));
    return new LaunchedUser(env.tool.url, result.token as string);
  }
});
