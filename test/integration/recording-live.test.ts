import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { AccessToken, EgressClient, EgressStatus } from 'livekit-server-sdk';
import type { Connection } from 'mongoose';
import { createAuditStore } from '../../src/db/audit-store.js';
import type { RecordingStateResponse, RecordingViewDto } from '../../src/http/contract.js';
import { stateOf } from '../../src/recordings/recording.js';
import type { RecordingStore } from '../../src/recordings/recording-store.js';
import { openRecordingStore } from '../support/egress-class.js';
import { startDedicatedEnvironment, type DedicatedEnvironment } from '../support/dedicated-environment.js';
import { meanLuma, meanVolumeDb, probe } from '../support/media-probe.js';
import { LaunchedUser, TestParticipant, waitUntil, type DemoRole } from '../support/room-client.js';

/**
 * Recording in the class, against real Egress (RoomComposite of the tool's /recorder page), Redis,
 * PulseAudio, Chromium, the SFU and the tool's own process. Few and short: each recording costs a core.
 */
describe('recording in the class: teachers record through the room API, Egress writes the file', function () {
  this.timeout(240_000);
  let env: DedicatedEnvironment;
  let db: Connection;
  let store: RecordingStore;
  const people: TestParticipant[] = [];

  before(async () => {
    // Required: a machine without GStreamer, Redis, Xvfb, PulseAudio or Chromium fails here, naming them.
    env = await startDedicatedEnvironment({}, { recording: 'required' });
    ({ db, store } = await openRecordingStore(env.stack));
  });
  afterEach(async () => {
    await Promise.all(people.splice(0).map((p) => p.disconnect()));
  });
  after(async () => {
    await db?.close();
    await env?.stop();
  });

  const url = () => env.tool.url;
  const activity = (settings: Record<string, unknown> = {}) =>
    LaunchedUser.createActivity(url(), { title: 'Recorded class', ...settings });
  const launch = (role: DemoRole, id: string, user?: string) => LaunchedUser.launch(url(), role, id, user);
  /** In the class on the SFU, with a camera and a tone (so the recording has something to show and play). */
  const join = async (user: LaunchedUser): Promise<TestParticipant> => {
    const p = await TestParticipant.connect(await user.joinGrant());
    people.push(p);
    await p.publishCamera();
    await p.publishMicrophone({ tone: true });
    return p;
  };
  const recordingOf = (user: LaunchedUser) => user.json<RecordingStateResponse>('GET', '/room/recording');
  const post = async (user: LaunchedUser, what: string, body?: unknown) => {
    const res = await user.request('POST', `/room/${what}`, body);
    const json = (await res.json()) as RecordingViewDto & { error?: { code: string; message: string } };
    return { status: res.status, body: json, code: json.error?.code };
  };
  const waitFor = async (user: LaunchedUser, status: string, ms = 60_000) => {
    let seen: RecordingStateResponse | undefined;
    await waitUntil(
      async () => (seen = await recordingOf(user)).file?.status === status,
      ms,
      () => `recording ${status} (${JSON.stringify(seen)})`,
    );
    return seen as RecordingStateResponse;
  };
  const egressClient = () =>
    new EgressClient(
      env.stack.livekit.url.replace(/^ws/, 'http'),
      env.stack.livekit.apiKey,
      env.stack.livekit.apiSecret,
    );
  const stored = async (recordingId: string) => {
    const recording = await store.get(recordingId);
    assert.ok(recording, `${recordingId} stored`);
    return stateOf(recording, (await store.facts([recordingId])).get(recordingId) ?? []);
  };

  it('records two people for ~20 s: a student is refused, the file is as long as the recording, with sound and pictures', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    const student = await launch('student', id, `rec-student-${process.pid}`);
    await join(teacher);
    const heard = await join(student);

    const ready = (await (await fetch(`${url()}/readyz`)).json()) as any;
    assert.deepEqual([ready.checks.recording.ok, ready.degraded], [true, []], JSON.stringify(ready));
    const before = await recordingOf(student);
    assert.equal(before.available, true, JSON.stringify(before));
    assert.equal(before.file, undefined);
    // Students cannot record or stream (and are told so as such, whatever they send).
    for (const what of ['recording/start', 'stream/start']) {
      const refused = await post(student, what, { url: 'rtmp://127.0.0.1/live', key: 'secret-key' });
      assert.deepEqual([refused.status, refused.code], [403, 'FORBIDDEN'], what);
    }

    const started = await post(teacher, 'recording/start');
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal(started.body.startedBy, 'leader');
    // Everyone sees it, the student too, and hears of it by a push from the tool.
    const active = await waitFor(student, 'recording');
    assert.ok(active.file?.startedAt);
    await waitUntil(() => heard.data.some((d) => d.topic === 'recording' && !d.from), 10_000, 'the push');
    const again = await post(teacher, 'recording/start');
    assert.deepEqual([again.status, again.code], [409, 'RECORDING_ALREADY_ACTIVE']);

    await new Promise((resolve) => setTimeout(resolve, 20_000));
    const stoppedAt = Date.now();
    const stopped = await post(teacher, 'recording/stop');
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    const done = await waitFor(teacher, 'ready');
    const recordedMs = stoppedAt - Date.parse(active.file?.startedAt as string);

    const state = await stored(started.body.recordingId);
    assert.equal(state.status, 'ready');
    const file = path.join(
      env.stack.recording.enabled ? env.stack.recording.outputDir : '',
      `${state.recording.fileName}`,
    );
    const probed = await probe(file);
    assert.deepEqual(probed.streams.map((s) => `${s.type}:${s.codec}`).sort(), ['audio:opus', 'video:h264']);
    const within = (ms: number, of: number) => Math.abs(ms / of - 1) < 0.1;
    const seen = `file ${probed.durationS} s, Egress ${done.file?.durationMs} ms, recorded ${recordedMs} ms`;
    // The file against the time it was recording (from Egress's start to the stop); the duration the tool
    // stored (Egress's file result, which starts at the page's first frame) against the file.
    assert.ok(within(probed.durationS * 1000, recordedMs), seen);
    assert.ok(within(done.file?.durationMs ?? 0, probed.durationS * 1000), seen);
    assert.ok((done.file?.sizeBytes ?? 0) > 10_000, `size ${done.file?.sizeBytes}`);
    assert.ok((await meanVolumeDb(file)) > -40, 'the tones are heard');
    assert.ok((await meanLuma(file)) > 30, 'the cameras are there, not black');

    // Audited like lock and end: who started and stopped it.
    const log = await createAuditStore(db).log(state.recording.roomKey);
    assert.deepEqual(
      log.filter((e) => e.action.startsWith('recording-')).map((e) => `${e.action} ${e.target}`),
      [`recording-start ${state.recording.recordingId}`, `recording-stop ${state.recording.recordingId}`],
    );

    // Egress's webhooks delivered again (the same event twice, then as a new event) record nothing more.
    const [info] = await egressClient().listEgress({ egressId: state.egressId });
    assert.ok(info, 'Egress still lists the job');
    const factsBefore = (await store.facts([state.recording.recordingId])).get(state.recording.recordingId);
    for (const eventId of ['EV_replayed', 'EV_replayed', 'EV_replayed_again']) {
      const body = JSON.stringify({
        event: 'egress_ended',
        id: eventId,
        createdAt: String(Math.floor(Date.now() / 1000)),
        egressInfo: info.toJson(),
      });
      const at = new AccessToken(env.stack.livekit.apiKey, env.stack.livekit.apiSecret);
      at.sha256 = createHash('sha256').update(body).digest('base64');
      const res = await fetch(`${url()}/hooks/livekit`, {
        method: 'POST',
        headers: { authorization: await at.toJwt(), 'content-type': 'application/webhook+json' },
        body,
      });
      assert.equal(res.status, 200, await res.text());
    }
    const factsAfter = (await store.facts([state.recording.recordingId])).get(state.recording.recordingId);
    assert.deepEqual(factsAfter, factsBefore);
  });

  it('records by itself at the first join of an activity that records automatically, once', async () => {
    const id = await activity({ recording: { auto: true } });
    const student = await launch('student', id, `auto-student-${process.pid}`);
    const teacher = await launch('instructor', id);
    // The notice before anything is recorded: the pre-join page reads it from /api/me.
    const me = await student.json<{ room: { recording: RecordingStateResponse } }>('GET', '/me');
    assert.equal(me.room.recording.auto, true);
    await join(teacher);
    await join(student);
    const active = await waitFor(student, 'recording');
    assert.equal(active.file?.startedBy, 'auto');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // The class ending (the teacher's end) stops and finalises it.
    const ended = await teacher.request('POST', '/room/end');
    assert.equal(ended.status, 204);
    const recordingId = active.file?.recordingId as string;
    await waitUntil(async () => (await stored(recordingId)).status === 'ready', 60_000, 'the file finalised');
    const session = (await store.get(recordingId))?.sessionId as string;
    assert.equal((await store.ofSession(session)).length, 1, 'one recording for the session');
  });

  it('survives a restart of the tool: the new process finds its recordings in Egress and finalises them', async () => {
    const id = await activity();
    const teacher = await launch('instructor', id);
    await join(teacher);
    const started = await post(teacher, 'recording/start');
    assert.equal(started.status, 201, JSON.stringify(started.body));
    // Egress's Chromium loads the tool's /recorder page once, as it starts: the tool goes down after that.
    await waitFor(teacher, 'recording');
    await env.restartTool(2_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = await recordingOf(teacher);
    assert.equal(after.file?.recordingId, started.body.recordingId);
    assert.equal(after.file?.status, 'recording', 'still recording after the restart');
    const stopped = await post(teacher, 'recording/stop');
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    await waitFor(teacher, 'ready');

    // A recording that Egress finishes while the tool is down (its egress_ended webhook lost): the restarted
    // tool's reconcile pass records it as Egress says, with the file's duration and size.
    const second = await post(teacher, 'recording/start');
    assert.equal(second.status, 201, JSON.stringify(second.body));
    await waitFor(teacher, 'recording');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const { egressId } = await stored(second.body.recordingId);
    await env.tool.process.stop();
    await egressClient().stopEgress(egressId as string);
    await waitUntil(
      async () => (await egressClient().listEgress({ egressId })).at(0)?.status === EgressStatus.EGRESS_COMPLETE,
      60_000,
      'Egress finishing the file while the tool is down',
    );
    assert.equal((await stored(second.body.recordingId)).status, 'recording', 'the tool did not hear of it');
    await env.restartTool();
    await waitUntil(
      async () => (await stored(second.body.recordingId)).status === 'ready',
      30_000,
      'the reconcile pass at start',
    );
    const state = await stored(second.body.recordingId);
    assert.ok((state.sizeBytes ?? 0) > 0 && (state.durationMs ?? 0) > 0, JSON.stringify(state));

    // The class ending stops what is still running (here: nothing) and leaves the files as they are.
    assert.equal((await teacher.request('POST', '/room/end')).status, 204);
  });
});
