import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordingStateResponse, RecordingViewDto } from '../../src/http/contract.js';
import { fileDate } from '../../src/recordings/download-name.js';
import { startDedicatedEnvironment, type DedicatedEnvironment } from '../support/dedicated-environment.js';
import { requireRecorderPage } from '../support/egress-class.js';
import { probe } from '../support/media-probe.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';

/** How long signed links last here: long enough for the checks, short enough to wait for their end. */
const LINK_SECONDS = 30;

/**
 * Recordings kept in an S3-compatible bucket, as in production: real Egress records a class and uploads it
 * to the stack's own S3 server (gofakes3 on loopback, path-style), the tool's signed links redirect to
 * presigned GETs of the object (byte ranges, our download name), and deleting deletes the object.
 */
describe('recordings in an S3-compatible bucket: Egress uploads, signed links redirect to presigned GETs', function () {
  this.timeout(300_000);
  let env: DedicatedEnvironment;
  const people: TestParticipant[] = [];

  before(async () => {
    requireRecorderPage();
    env = await startDedicatedEnvironment(
      { RECORDING_LINK_TTL_SECONDS: String(LINK_SECONDS) },
      { recording: 'required', storage: 's3' },
    );
  });
  after(async () => {
    await Promise.all(people.splice(0).map((p) => p.disconnect()));
    await env?.stop();
  });

  const url = () => env.tool.url;
  const s3 = () => {
    assert.ok(env.stack.s3, 'the stack runs its S3 server');
    return env.stack.s3;
  };
  /** The object as the S3 server has it (it does not check signatures: this is the test looking in). */
  const object = (key: string, method = 'HEAD') => fetch(`${s3().endpoint}/${s3().bucket}/${key}`, { method });
  const join = async (user: LaunchedUser) => {
    const p = await TestParticipant.connect(await user.joinGrant());
    people.push(p);
    await p.publishCamera();
    await p.publishMicrophone({ tone: true });
  };
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  it('records a class into the bucket, plays and downloads it through presigned redirects, deletes the object', async () => {
    const activity = await LaunchedUser.createActivity(url(), {
      title: 'Clase en S3',
      recording: { viewers: 'course' },
    });
    const ready = (await (await fetch(`${url()}/readyz`)).json()) as any;
    assert.equal(ready.checks['recording-storage'].ok, true, JSON.stringify(ready));
    const teacher = await LaunchedUser.launch(url(), 'instructor', activity);
    const student = await LaunchedUser.launch(url(), 'student', activity, `s3-student-${process.pid}`);
    await join(teacher);
    await join(student);

    const res = await teacher.request('POST', '/room/recording/start');
    const started = (await res.json()) as RecordingViewDto;
    assert.equal(res.status, 201, JSON.stringify(started));
    const state = async () => teacher.json<RecordingStateResponse>('GET', '/room/recording');
    await waitUntil(async () => (await state()).file?.status === 'recording', 60_000, 'recording');
    await sleep(8_000);
    assert.equal((await teacher.request('POST', '/room/recording/stop')).status, 200);
    let done: RecordingStateResponse | undefined;
    await waitUntil(
      async () => (done = await state()).file?.status === 'ready',
      90_000,
      () => `ready (${JSON.stringify(done)})`,
    );
    const sizeBytes = done?.file?.sizeBytes ?? 0;
    assert.ok(sizeBytes > 10_000, `size ${sizeBytes}`);
    assert.ok((done?.file?.durationMs ?? 0) > 5_000, `duration ${done?.file?.durationMs}`);

    // Egress uploaded it under the recording's file name (no prefix here), and kept no copy in the folder.
    const key = `${started.recordingId}.mp4`;
    const head = await object(key);
    assert.equal(head.status, 200, `the object ${key}`);
    assert.equal(head.headers.get('content-length'), String(sizeBytes), "Egress's size is the object's");
    assert.equal(existsSync(path.join(env.stack.recordingsDir, key)), false, 'nothing in the recordings folder');

    // The launcher may play from the bucket's origin (a redirect is checked against media-src).
    const csp = (await fetch(`${url()}/launch`)).headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`media-src 'self' blob: ${s3().endpoint.replace(/[.]/g, '\\.')}(;|$)`), csp);

    const list = await student.json('GET', '/room/recordings');
    assert.deepEqual(
      list.recordings.map((r: { recordingId: string; sizeBytes: number }) => [r.recordingId, r.sizeBytes]),
      [[started.recordingId, sizeBytes]],
    );
    const links = await student.json('POST', `/room/recordings/${started.recordingId}/links`);
    const expiresAt = Date.parse(links.play.expiresAt);

    // The signed link answers with a redirect to a presigned GET that lives no longer than the link.
    const redirect = await fetch(links.play.url, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('cache-control'), 'private, no-store');
    assert.equal(redirect.headers.get('referrer-policy'), 'no-referrer');
    const presigned = new URL(redirect.headers.get('location') ?? '');
    assert.equal(`${presigned.origin}${presigned.pathname}`, `${s3().endpoint}/${s3().bucket}/${key}`);
    const lifetime = Number(presigned.searchParams.get('X-Amz-Expires'));
    assert.ok(lifetime > 0 && lifetime <= Math.ceil((expiresAt - Date.now()) / 1000) + 1, `expires in ${lifetime} s`);
    assert.ok(presigned.searchParams.get('X-Amz-Signature'), 'signed');

    // The player's byte ranges, through the redirect, answered by the S3 server.
    const whole = Buffer.from(await (await fetch(presigned)).arrayBuffer());
    assert.equal(whole.length, sizeBytes);
    for (const [range, from, to] of [
      ['bytes=0-99', 0, 99],
      [`bytes=${sizeBytes - 50}-`, sizeBytes - 50, sizeBytes - 1],
    ] as const) {
      const part = await fetch(links.play.url, { headers: { range } });
      assert.equal(part.status, 206, range);
      assert.equal(part.headers.get('content-range'), `bytes ${from}-${to}/${sizeBytes}`, range);
      assert.equal(part.headers.get('content-type'), 'video/mp4');
      assert.match(part.headers.get('content-disposition') ?? '', /^inline; filename="Clase en S3 - /);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(from, to + 1)), range);
    }
    // What Egress uploaded is the class: H.264 and Opus.
    const copy = path.join(env.workDir, 'from-bucket.mp4');
    await writeFile(copy, whole);
    const probed = await probe(copy);
    assert.deepEqual(probed.streams.map((s) => `${s.type}:${s.codec}`).sort(), ['audio:opus', 'video:h264']);

    // The download: the same bytes under the activity's name and the recording's date.
    const download = await fetch(links.download.url);
    assert.equal(download.status, 200);
    const when = fileDate(new Date(done?.file?.startedAt as string), (await student.json('GET', '/me')).timezone);
    assert.equal(download.headers.get('content-disposition'), `attachment; filename="Clase en S3 - ${when}.mp4"`);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(whole));

    // A forged link is refused by the tool itself: no redirect, nothing of the bucket.
    const forged = new URL(links.play.url);
    forged.searchParams.set('token', `${forged.searchParams.get('token')?.slice(0, -4)}AAAA`);
    const refused = await fetch(forged, { redirect: 'manual' });
    assert.deepEqual([refused.status, refused.headers.get('location')], [403, null]);
    assert.equal(await errorCode(refused), 'RECORDING_LINK_INVALID');

    // Deleting deletes the object, and again changes nothing.
    assert.equal(
      await errorCode(await student.request('DELETE', `/room/recordings/${started.recordingId}`)),
      'RECORDING_MANAGE_FORBIDDEN',
    );
    assert.equal((await teacher.request('DELETE', `/room/recordings/${started.recordingId}`)).status, 204);
    assert.equal((await object(key)).status, 404, 'the object is gone');
    assert.equal((await teacher.request('DELETE', `/room/recordings/${started.recordingId}`)).status, 204);
    const gone = await fetch(links.play.url, { redirect: 'manual' });
    assert.deepEqual([gone.status, gone.headers.get('location')], [410, null]);

    // Once the link has expired: 403 before anything else, no redirect.
    await sleep(Math.max(0, expiresAt - Date.now()) + 1_100);
    const expired = await fetch(links.download.url, { redirect: 'manual' });
    assert.deepEqual([expired.status, expired.headers.get('location')], [403, null]);
    assert.equal(await errorCode(expired), 'RECORDING_LINK_EXPIRED');
  });
});
