import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { freeTcpPort } from '../../src/dev/stack/ports.js';
import { createRoomStore } from '../../src/db/room-store.js';
import type { RecordingStateResponse, RecordingViewDto } from '../../src/http/contract.js';
import type { RecorderGateway } from '../../src/livekit/recorder.js';
import { recordingIdOf, stateOf, type Recording } from '../../src/recordings/recording.js';
import type { RecordingStore } from '../../src/recordings/recording-store.js';
import { startDedicatedEnvironment, type DedicatedEnvironment } from '../support/dedicated-environment.js';
import { openRecordingStore, requireRecorderPage, stackRecorder } from '../support/egress-class.js';
import { LaunchedUser, TestParticipant, waitUntil, type Grant } from '../support/room-client.js';
import { listenRtmp } from '../support/rtmp-listener.js';

const LOST_SECONDS = 10;
const DOWN = 'Egress stopped answering during the recording; what it wrote may be incomplete.';
const GONE = 'Egress stopped running this recording without a word (it was restarted or crashed).';

/**
 * Egress failing without a word, against the real thing: killed (SIGKILL, its handlers with it) mid-class,
 * so no webhook comes and the SFU keeps listing its jobs as active; and the tool stopping while Egress starts
 * a job, so the tool never stores Egress's answer. Reconcile passes every 5 s, Egress lost after 10 s.
 */
describe('recording when Egress or the tool fails silently: reconciled with what Egress runs', function () {
  this.timeout(300_000);
  let env: DedicatedEnvironment;
  let db: Connection;
  let store: RecordingStore;
  let recorder: RecorderGateway;
  const people: TestParticipant[] = [];

  before(async () => {
    requireRecorderPage();
    env = await startDedicatedEnvironment(
      { RECORDING_RECONCILE_SECONDS: '5', RECORDING_EGRESS_LOST_SECONDS: String(LOST_SECONDS) },
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
  const join = async (user: LaunchedUser): Promise<{ person: TestParticipant; grant: Grant }> => {
    const grant = await user.joinGrant();
    const person = await TestParticipant.connect(grant);
    people.push(person);
    await person.publishCamera();
    await person.publishMicrophone({ tone: true });
    return { person, grant };
  };
  const recordingOf = (user: LaunchedUser) => user.json<RecordingStateResponse>('GET', '/room/recording');
  const post = async (user: LaunchedUser, what: string, body?: unknown) => {
    const res = await user.request('POST', `/room/${what}`, body);
    return { status: res.status, body: (await res.json()) as RecordingViewDto };
  };
  const waitFor = async (
    user: LaunchedUser,
    check: (s: RecordingStateResponse) => boolean,
    what: string,
    ms = 60_000,
  ) => {
    let seen: RecordingStateResponse | undefined;
    await waitUntil(
      async () => check((seen = await recordingOf(user))),
      ms,
      () => `${what} (${JSON.stringify(seen)})`,
    );
    return seen as RecordingStateResponse;
  };
  const stored = async (recordingId: string) => {
    const recording = await store.get(recordingId);
    assert.ok(recording, `${recordingId} stored`);
    return stateOf(recording, (await store.facts([recordingId])).get(recordingId) ?? []);
  };

  it('Egress killed mid-class: the recording and the stream end as failed with the reason, and the teacher records again once Egress is back', async () => {
    const id = await LaunchedUser.createActivity(url(), { title: 'Egress dies' });
    const teacher = await LaunchedUser.launch(url(), 'instructor', id);
    const student = await LaunchedUser.launch(url(), 'student', id, `loss-student-${process.pid}`);
    const { grant } = await join(teacher);
    const { person: heard } = await join(student);
    const target = `rtmp://127.0.0.1:${await freeTcpPort()}/live/sk-${randomUUID()}`;
    const listener = listenRtmp(target);
    try {
      assert.equal((await post(teacher, 'recording/start')).status, 201);
      const [address, key] = [target.slice(0, target.lastIndexOf('/')), target.slice(target.lastIndexOf('/') + 1)];
      assert.equal((await post(teacher, 'stream/start', { url: address, key })).status, 201);
      await waitFor(student, (s) => s.file?.status === 'recording' && s.stream?.status === 'recording', 'both running');

      const pushesBefore = heard.data.filter((d) => d.topic === 'recording').length;
      const killedAt = Date.now();
      await env.stack.egress!.kill();
      // Nothing said it: the SFU still lists both jobs as active.
      const listed = await recorder.list(grant.room);
      assert.deepEqual(
        listed.map((j) => j.status),
        ['active', 'active'],
        'the SFU still lists the dead jobs',
      );
      const failed = await waitFor(
        teacher,
        (s) => s.file?.status === 'failed' && s.stream?.status === 'failed',
        'both failed',
        60_000,
      );
      const tookMs = Date.now() - killedAt;
      assert.ok(tookMs >= LOST_SECONDS * 1000, `not before egressLostSeconds (${tookMs} ms)`);
      assert.deepEqual([failed.file?.error, failed.stream?.error], [DOWN, DOWN]);
      // The room is told (a push), students see it stopped without the reason, Record says why it cannot.
      await waitUntil(
        () => heard.data.filter((d) => d.topic === 'recording').length > pushesBefore,
        10_000,
        'a push to the room',
      );
      const seen = await recordingOf(student);
      assert.deepEqual(
        [seen.file?.status, seen.file?.error, seen.available, seen.reason],
        ['failed', undefined, false, 'unreachable'],
      );
      console.log(`      Egress killed → recording failed after ${tookMs} ms`);

      await env.stack.egress!.restart();
      await waitFor(teacher, (s) => s.available, 'Egress available again', 30_000);
      const again = await post(teacher, 'recording/start');
      assert.equal(again.status, 201, JSON.stringify(again.body));
      await waitFor(teacher, (s) => s.file?.status === 'recording', 'recording again');

      // Egress restarted faster than egressLostSeconds: it answers, but no longer runs the job the SFU lists.
      await env.stack.egress!.kill();
      await env.stack.egress!.restart();
      const gone = await waitFor(teacher, (s) => s.file?.status === 'failed', 'the lost job failed', 60_000);
      assert.equal(gone.file?.error, GONE);
      assert.equal(gone.file?.recordingId, again.body.recordingId);
    } finally {
      listener.stop();
    }
  });

  it('the tool stopped while Egress started a job: the restarted tool finds the job by the recording it names, and it ends normally', async () => {
    const id = await LaunchedUser.createActivity(url(), { title: 'Answer lost' });
    const teacher = await LaunchedUser.launch(url(), 'instructor', id);
    const { grant } = await join(teacher);
    const roomKey = grant.room;
    const session = await createRoomStore(db).latestClassSession(roomKey);
    assert.ok(session, 'the class is live');
    const recordingAt = (seq: number): Recording => {
      const recordingId = recordingIdOf(session.sessionId, 'file', seq);
      return {
        recordingId,
        kind: 'file',
        roomKey,
        sessionId: session.sessionId,
        seq,
        startedBy: { kind: 'auto' },
        audioOnly: false,
        requestedAt: new Date(Date.now() - 10 * 60_000),
        fileName: `${recordingId}.mp4`,
      };
    };
    const egressFolder = env.stack.recordingsDir;
    const askEgress = (r: Recording) =>
      recorder.recordRoom(roomKey, path.join(egressFolder, r.fileName as string), {
        templateUrl: `${url()}/recorder`,
        ref: r.recordingId,
      });

    // 1. Egress's answer lost while the tool runs: its webhooks name the recording, the tool takes the job.
    const first = recordingAt(1);
    assert.ok(await store.create(first));
    const { egressId: firstJob } = await askEgress(first);
    await waitUntil(async () => (await stored(first.recordingId)).status === 'recording', 60_000, 'adopted by webhook');
    assert.equal((await stored(first.recordingId)).egressId, firstJob);
    assert.equal((await post(teacher, 'recording/stop')).status, 200);
    await waitUntil(async () => (await stored(first.recordingId)).status === 'ready', 60_000, 'the first file ready');

    // 2. The tool stops between asking Egress and storing its answer (and misses egress_started): Egress
    // loads the tool's recorder page as it starts, so the job is asked for first, and the tool stops once
    // Egress runs it; the recording the tool had inserted before asking is stored then. What the restarted
    // tool finds is the same: the recording with no facts, requested long enough ago to be given up.
    const second = recordingAt(2);
    const { egressId: secondJob } = await askEgress(second);
    await waitUntil(
      async () => (await recorder.list(roomKey)).find((j) => j.egressId === secondJob)?.status === 'active',
      60_000,
      'Egress recording',
    );
    await env.tool.process.stop();
    assert.ok(await store.create(second));
    assert.equal((await stored(second.recordingId)).status, 'starting');
    await env.restartTool();
    await waitUntil(
      async () => (await stored(second.recordingId)).status === 'recording',
      30_000,
      'adopted by the reconcile pass at start',
    );
    assert.equal((await stored(second.recordingId)).egressId, secondJob);
    assert.equal((await recordingOf(teacher)).file?.status, 'recording');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const stopped = await post(teacher, 'recording/stop');
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    await waitUntil(async () => (await stored(second.recordingId)).status === 'ready', 60_000, 'the second file ready');
    const state = await stored(second.recordingId);
    assert.ok((state.sizeBytes ?? 0) > 10_000 && (state.durationMs ?? 0) > 1000, JSON.stringify(state));
  });
});
