import assert from 'node:assert/strict';
import { ServerError } from 'livekit-server-sdk';
import type { AppError } from '../../src/errors.js';
import { translateStart } from '../../src/livekit/livekit-recorder.js';
import { recordedClass } from '../support/fakes/recorded-class.js';

const GRACE_MS = 120_000;
const KEPT = {
  timeout: 'The recorder did not answer the start in time.',
  connection: 'The connection to the recorder dropped before it answered the start.',
  'server-error': 'The media server answered the start with a server error.',
} as const;

const failure = (p: Promise<unknown>): Promise<AppError | undefined> =>
  p.then(
    () => undefined,
    (err: AppError) => err,
  );

/** A class on fakes with a reconcile pass (the 2-minute grace) over the same Egress. */
async function classWithReconcile(startTimeoutMs?: number) {
  const c = await recordedClass({}, startTimeoutMs ? { startTimeoutMs } : {});
  const reconciler = c.newReconciler({
    running: async () => new Set(c.recorder.jobs.keys()),
  });
  const stateOf = async (recordingId: string) => c.jobs.state((await c.store.get(recordingId))!);
  const starts = () => c.recorder.calls.filter((call) => call.op === 'recordRoom' || call.op === 'streamRoom').length;
  return { ...c, reconciler, stateOf, starts };
}

describe('a start Egress did not answer', () => {
  it('tells a start that may have run (timeout, dropped connection, 5xx) from a clear refusal', () => {
    const twirp = (status: number, code: string | undefined, msg = 'x') =>
      new ServerError('Error', msg, status, code, undefined);
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const socket = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
    const cases: Array<[string, unknown, string, unknown?]> = [
      [
        'no Egress answered the bid',
        twirp(503, 'unavailable', 'no response from servers'),
        'LIVEKIT_EGRESS_UNAVAILABLE',
      ],
      ['Egress short of CPU', twirp(503, 'unavailable', 'not enough CPU'), 'LIVEKIT_EGRESS_UNAVAILABLE'],
      [
        'no Egress on the SFU',
        twirp(500, 'internal', 'egress not connected (redis required)'),
        'LIVEKIT_EGRESS_UNAVAILABLE',
        { why: 'not-connected' },
      ],
      ['a bad request', twirp(400, 'invalid_argument'), 'LIVEKIT_REQUEST_FAILED'],
      ['a wrong key', twirp(401, 'unauthenticated'), 'LIVEKIT_UNAUTHORIZED'],
      ['no such room', twirp(404, 'not_found'), 'LIVEKIT_NOT_FOUND'],
      ['the SFU gave up waiting for Egress', twirp(408, 'deadline_exceeded'), 'LIVEKIT_NO_ANSWER', { why: 'timeout' }],
      ['the job id already runs (a retry)', twirp(409, 'already_exists'), 'LIVEKIT_NO_ANSWER', { why: 'timeout' }],
      ['an internal error', twirp(500, 'internal', 'boom'), 'LIVEKIT_NO_ANSWER', { why: 'server-error', status: 500 }],
      ['a proxy’s 502', twirp(502, undefined), 'LIVEKIT_NO_ANSWER', { why: 'server-error', status: 502 }],
      ['the call timed out', timeout, 'LIVEKIT_NO_ANSWER', { why: 'timeout' }],
      ['the connection dropped', socket('ECONNRESET'), 'LIVEKIT_NO_ANSWER', { why: 'connection' }],
      ['the socket closed', socket('UND_ERR_SOCKET'), 'LIVEKIT_NO_ANSWER', { why: 'connection' }],
      ['the SFU refused the connection', socket('ECONNREFUSED'), 'LIVEKIT_UNAVAILABLE'],
      [
        'every address refused',
        new TypeError('fetch failed', {
          cause: new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })]),
        }),
        'LIVEKIT_UNAVAILABLE',
      ],
    ];
    for (const [what, err, code, details] of cases) {
      const translated = translateStart(err);
      assert.equal(translated.code, code, what);
      if (details) assert.deepEqual(translated.details, details, what);
      assert.equal(translated.cause, err, `${what}: the cause kept for logs`);
    }
  });

  for (const why of ['timeout', 'connection', 'server-error'] as const) {
    it(`${why}: stays starting with the reason kept, Record refused meanwhile, and Egress's job is adopted and ends with its file`, async () => {
      const c = await classWithReconcile();
      c.recorder.loseAnswer = why;
      const view = await c.recordings.start(c.teacher, 'file');
      assert.equal(view.status, 'starting');
      let s = await c.stateOf(view.recordingId);
      assert.deepEqual([s.status, s.unanswered, s.error, s.egressId], ['starting', KEPT[why], undefined, undefined]);
      assert.deepEqual(c.store.kinds(view.recordingId), ['unanswered']);
      // Record is not offered again, and a second press starts no second job.
      const status = await c.status();
      assert.equal(status.file?.status, 'starting');
      assert.equal((await failure(c.recordings.start(c.teacher, 'file')))?.code, 'RECORDING_ALREADY_ACTIVE');
      assert.equal(c.starts(), 1);

      c.recorder.loseAnswer = false;
      c.recorder.set('EG_1', { status: 'active', startedAt: c.f.now() });
      c.f.tick(5_000);
      assert.deepEqual(await c.reconciler.runOnce(), { checked: 1, changed: 1 });
      s = await c.stateOf(view.recordingId);
      assert.deepEqual([s.status, s.egressId, s.unanswered], ['recording', 'EG_1', undefined]);
      const stopped = await c.recordings.stop(c.teacher, 'file');
      assert.equal(c.recorder.calls.at(-1)?.target, 'EG_1');
      assert.equal(stopped.status, 'recording');
      const ended = c.recorder.set('EG_1', {
        status: 'complete',
        endedAt: c.f.now(),
        files: [{ path: 'x', durationMs: 5_000, sizeBytes: 4_096 }],
      });
      await c.jobs.apply((await c.store.get(view.recordingId))!, ended);
      s = await c.stateOf(view.recordingId);
      assert.deepEqual([s.status, s.sizeBytes, s.error], ['ready', 4_096, undefined]);
    });
  }

  it('no job listed within the grace: still starting; after it, failed with the kept reason, and Record again', async () => {
    const c = await classWithReconcile();
    c.recorder.loseAnswer = 'timeout';
    const view = await c.recordings.start(c.teacher, 'file');
    c.recorder.jobs.clear(); // Egress never ran it.
    c.recorder.loseAnswer = false;
    c.f.tick(GRACE_MS - 1_000);
    assert.deepEqual(await c.reconciler.runOnce(), { checked: 1, changed: 0 });
    assert.equal((await c.stateOf(view.recordingId)).status, 'starting');
    c.f.tick(2_000);
    assert.deepEqual(await c.reconciler.runOnce(), { checked: 1, changed: 1 });
    const s = await c.stateOf(view.recordingId);
    assert.deepEqual(
      [s.status, s.error],
      ['failed', 'The recorder did not answer the start in time. The recorder never started this recording.'],
    );
    assert.equal((await c.status()).file?.status, 'failed');
    assert.equal((await c.recordings.start(c.teacher, 'file')).recordingId, `${c.session.sessionId}.r2`);
  });

  it('a clear refusal (no Egress free, a bad request, the SFU unreachable) still fails at once with its reason', async () => {
    const cases: Array<[string, string]> = [
      ['LIVEKIT_EGRESS_UNAVAILABLE', 'No recorder was free to take this recording. Try again in a moment.'],
      ['LIVEKIT_REQUEST_FAILED', 'The recorder refused to start this recording.'],
      ['LIVEKIT_UNAVAILABLE', 'The class server could not be reached to start the recording.'],
    ];
    for (const [refusal, reason] of cases) {
      const c = await classWithReconcile();
      c.recorder.refuse = true;
      c.recorder.refusal = refusal;
      const err = await failure(c.recordings.start(c.teacher, 'file'));
      assert.deepEqual([err?.code, err?.message], ['RECORDING_UNAVAILABLE', reason], refusal);
      const status = await c.status();
      assert.deepEqual([status.file?.status, status.file?.error], ['failed', reason], refusal);
    }
  });

  it('no answer from an SFU with no Egress behind it (its list says so): failed at once, nothing left starting', async () => {
    for (const kind of ['file', 'stream'] as const) {
      const c = await classWithReconcile();
      c.recorder.unconnected = true;
      const what = kind === 'file' ? 'recording' : 'stream';
      const reason = `The recorder is not answering, so this ${what} cannot start. Try again later; if it lasts, tell your LMS admin.`;
      const err = await failure(c.recordings.start(c.teacher, kind, { url: 'rtmp://x.test/app', key: 'k' }));
      assert.deepEqual([err?.code, err?.message], ['RECORDING_UNAVAILABLE', reason], kind);
      const status = await c.status();
      assert.deepEqual([status[kind]?.status, status[kind]?.error], ['failed', reason], kind);
    }
  });

  it('a start slower than recordings.startTimeoutMs: the tool stops waiting, its late answer is left to Egress’s list', async () => {
    const c = await classWithReconcile(5);
    c.recorder.holdAnswer = true;
    const view = await c.recordings.start(c.teacher, 'file');
    assert.equal(view.status, 'starting');
    assert.equal((await c.stateOf(view.recordingId)).unanswered, KEPT.timeout);
    c.recorder.release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(c.store.kinds(view.recordingId), ['unanswered'], 'the late answer is not stored');
    await c.reconciler.runOnce();
    assert.deepEqual((await c.stateOf(view.recordingId)).egressId, 'EG_1');
    // The default waits longer than a held answer: an answer in time is used as before.
    const prompt = await classWithReconcile();
    assert.deepEqual(prompt.store.kinds((await prompt.recordings.start(prompt.teacher, 'file')).recordingId), [
      'egress',
    ]);
  });

  it('streams the same: unanswered stays starting, Go live refused meanwhile, the job adopted', async () => {
    const c = await classWithReconcile();
    c.recorder.loseAnswer = 'connection';
    const view = await c.recordings.start(c.teacher, 'stream', { url: 'rtmp://x.test/app', key: 'k' });
    assert.deepEqual([view.status, (await c.stateOf(view.recordingId)).unanswered], ['starting', KEPT.connection]);
    c.recorder.loseAnswer = false;
    const again = await failure(c.recordings.start(c.teacher, 'stream', { url: 'rtmp://x.test/app', key: 'k' }));
    assert.equal(again?.code, 'RECORDING_STREAM_ALREADY_ACTIVE');
    assert.equal(c.starts(), 1);
    c.recorder.set('EG_1', { status: 'active', startedAt: c.f.now() });
    await c.reconciler.runOnce();
    assert.equal((await c.status()).stream?.status, 'recording');
    await c.jobs.apply(
      (await c.store.get(view.recordingId))!,
      c.recorder.set('EG_1', { status: 'complete', endedAt: c.f.now() }),
    );
    // Never listed in time, a stream is given up as one.
    c.recorder.loseAnswer = 'server-error';
    const other = await c.recordings.start(c.teacher, 'stream', { url: 'rtmp://x.test/app', key: 'k' });
    c.recorder.jobs.clear();
    c.f.tick(GRACE_MS + 1_000);
    await c.reconciler.runOnce();
    assert.equal(
      (await c.stateOf(other.recordingId)).error,
      'The media server answered the start with a server error. The recorder never started this stream.',
    );
  });

  it('Stop while unanswered: a listed job is stopped as the recording’s; one that turns up later is stopped too', async () => {
    const c = await classWithReconcile();
    c.recorder.loseAnswer = 'timeout';
    const first = await c.recordings.start(c.teacher, 'file');
    c.recorder.loseAnswer = false;
    const stopped = await c.recordings.stop(c.teacher, 'file');
    assert.deepEqual(
      [stopped.status, c.recorder.calls.at(-1)?.op, c.recorder.calls.at(-1)?.target],
      ['recording', 'stop', 'EG_1'],
    );
    assert.equal((await c.stateOf(first.recordingId)).egressId, 'EG_1');

    // The job not listed yet (still on its way through the SFU): given up, then stopped once it shows.
    await c.jobs.apply(
      (await c.store.get(first.recordingId))!,
      c.recorder.set('EG_1', { status: 'complete', endedAt: c.f.now() }),
    );
    c.recorder.loseAnswer = 'timeout';
    const second = await c.recordings.start(c.teacher, 'file');
    c.recorder.loseAnswer = false;
    c.recorder.unlisted.add('EG_2');
    const given = await c.recordings.stop(c.teacher, 'file');
    assert.deepEqual([given.status, given.error], ['failed', 'Stopped before the recorder started.']);
    c.recorder.unlisted.clear();
    const recording = (await c.store.get(second.recordingId))!;
    assert.equal(await c.jobs.adopt(recording, c.recorder.set('EG_2', { status: 'active' })), true);
    assert.deepEqual([c.recorder.calls.at(-1)?.op, c.recorder.calls.at(-1)?.target], ['stop', 'EG_2']);
    assert.equal((await c.stateOf(second.recordingId)).status, 'failed');
  });
});
