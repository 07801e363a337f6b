import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { freeTcpPort } from '../../src/dev/stack/ports.js';
import type { RecordingStateResponse, RecordingViewDto } from '../../src/http/contract.js';
import type { RecorderGateway } from '../../src/livekit/recorder.js';
import { stateOf } from '../../src/recordings/recording.js';
import type { RecordingStore } from '../../src/recordings/recording-store.js';
import { startDedicatedEnvironment, type DedicatedEnvironment } from '../support/dedicated-environment.js';
import { openRecordingStore, requireRecorderPage, stackRecorder } from '../support/egress-class.js';
import { probe } from '../support/media-probe.js';
import { LaunchedUser, TestParticipant, waitUntil } from '../support/room-client.js';
import { listenRtmp } from '../support/rtmp-listener.js';

/**
 * A start whose answer the tool never gets, against real Egress: the tool waits 1 ms for it
 * (recordings.startTimeoutMs), so it stops waiting while the SFU and Egress go on with the whole request.
 * The recording stays starting, Record refuses a second job, and Egress's job is adopted by the recording it
 * names and ends with its file.
 */
describe('recording whose start went unanswered: Egress runs it, the tool adopts it', function () {
  this.timeout(240_000);
  let env: DedicatedEnvironment;
  let db: Connection;
  let store: RecordingStore;
  let recorder: RecorderGateway;
  const people: TestParticipant[] = [];

  before(async () => {
    requireRecorderPage();
    env = await startDedicatedEnvironment(
      { RECORDING_START_TIMEOUT_MS: '1', RECORDING_RECONCILE_SECONDS: '5' },
      { recording: 'required' },
    );
    ({ db, store } = await openRecordingStore(env.stack));
    recorder = stackRecorder(env.stack);
  });
  afterEach(async () => {
    await Promise.all(people.splice(0).map((p) => p.disconnect()));
  });
  after(async () => {
    await db?.close();
    await env?.stop();
  });

  const url = () => env.tool.url;
  const recordingOf = (user: LaunchedUser) => user.json<RecordingStateResponse>('GET', '/room/recording');
  const post = async (user: LaunchedUser, what: string, payload?: unknown) => {
    const res = await user.request('POST', `/room/${what}`, payload);
    const body = (await res.json()) as RecordingViewDto & { error?: { code: string } };
    return { status: res.status, body, code: body.error?.code };
  };
  const stored = async (recordingId: string) => {
    const recording = await store.get(recordingId);
    assert.ok(recording, `${recordingId} stored`);
    const facts = (await store.facts([recordingId])).get(recordingId) ?? [];
    return { state: stateOf(recording, facts), kinds: facts.map((f) => f.kind) };
  };

  const join = async (user: LaunchedUser) => {
    const grant = await user.joinGrant();
    const person = await TestParticipant.connect(grant);
    people.push(person);
    await person.publishCamera();
    await person.publishMicrophone({ tone: true });
    return grant;
  };

  it('stays starting, refuses a second Record, is adopted from Egress and ends ready with its file', async () => {
    const id = await LaunchedUser.createActivity(url(), { title: 'Start unanswered' });
    const teacher = await LaunchedUser.launch(url(), 'instructor', id);
    const grant = await join(teacher);

    const started = await post(teacher, 'recording/start');
    assert.deepEqual([started.status, started.body.status], [201, 'starting'], JSON.stringify(started.body));
    const { recordingId } = started.body;
    const first = await stored(recordingId);
    assert.ok(first.kinds.includes('unanswered'), `the start went unanswered (${first.kinds.join()})`);
    assert.ok(!first.kinds.includes('failed'), 'not failed at once');
    // Record again meanwhile: refused, and Egress runs one job for the room.
    const again = await post(teacher, 'recording/start');
    assert.deepEqual([again.status, again.code], [409, 'RECORDING_ALREADY_ACTIVE']);

    let seen: RecordingStateResponse | undefined;
    await waitUntil(
      async () => (seen = await recordingOf(teacher)).file?.status === 'recording',
      60_000,
      () => `adopted and recording (${JSON.stringify(seen)})`,
    );
    const jobs = (await recorder.list(grant.room)).filter((j) => j.status === 'starting' || j.status === 'active');
    assert.equal(jobs.length, 1, JSON.stringify(jobs));
    assert.equal(jobs[0]?.ref, recordingId);
    const adopted = await stored(recordingId);
    assert.equal(adopted.state.egressId, jobs[0]?.egressId);
    assert.equal(adopted.state.unanswered, undefined);

    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const stopped = await post(teacher, 'recording/stop');
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    await waitUntil(
      async () => (seen = await recordingOf(teacher)).file?.status === 'ready',
      60_000,
      () => `ready (${JSON.stringify(seen)})`,
    );
    const { state } = await stored(recordingId);
    assert.equal(state.error, undefined);
    assert.ok((state.sizeBytes ?? 0) > 10_000 && (state.durationMs ?? 0) > 3_000, JSON.stringify(state));
    const file = path.join(
      env.stack.recording.enabled ? env.stack.recording.outputDir : '',
      `${state.recording.fileName}`,
    );
    assert.equal((await stat(file)).size, state.sizeBytes);
    const probed = await probe(file);
    assert.ok(probed.durationS > 3, JSON.stringify(probed));
  });

  it('a stream the same: starting while unanswered, Go live refused meanwhile, adopted, and the listener gets it', async () => {
    const id = await LaunchedUser.createActivity(url(), { title: 'Stream start unanswered' });
    const teacher = await LaunchedUser.launch(url(), 'instructor', id);
    const grant = await join(teacher);
    const target = `rtmp://127.0.0.1:${await freeTcpPort()}/live/sk-${randomUUID()}`;
    const file = path.join(path.dirname(env.stack.recordingsDir), `unanswered-${process.pid}.flv`);
    const listener = listenRtmp(target, file);
    try {
      const [address, key] = [target.slice(0, target.lastIndexOf('/')), target.slice(target.lastIndexOf('/') + 1)];
      const started = await post(teacher, 'stream/start', { url: address, key });
      assert.deepEqual([started.status, started.body.status], [201, 'starting'], JSON.stringify(started.body));
      const { recordingId } = started.body;
      assert.ok((await stored(recordingId)).kinds.includes('unanswered'), 'the start went unanswered');
      const again = await post(teacher, 'stream/start', { url: address, key });
      assert.deepEqual([again.status, again.code], [409, 'RECORDING_STREAM_ALREADY_ACTIVE']);

      let seen: RecordingStateResponse | undefined;
      await waitUntil(
        async () => (seen = await recordingOf(teacher)).stream?.status === 'recording',
        60_000,
        () => `stream adopted and running (${JSON.stringify(seen)})`,
      );
      const jobs = (await recorder.list(grant.room)).filter((j) => j.status === 'starting' || j.status === 'active');
      assert.deepEqual(
        jobs.map((j) => j.ref),
        [recordingId],
      );
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      assert.equal((await post(teacher, 'stream/stop')).status, 200);
      await waitUntil(
        async () => (seen = await recordingOf(teacher)).stream?.status === 'ready',
        60_000,
        () => `stream ended (${JSON.stringify(seen)})`,
      );
      assert.equal((await stored(recordingId)).state.error, undefined);
      await Promise.race([listener.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      assert.ok(existsSync(file) && (await stat(file)).size > 0, `the listener got nothing:\n${listener.log()}`);
    } finally {
      listener.stop();
    }
  });
});
