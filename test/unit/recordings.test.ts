import assert from 'node:assert/strict';
import pino from 'pino';
import type { AppError } from '../../src/errors.js';
import type { RecordingInfo } from '../../src/livekit/recorder.js';
import { createAvailability } from '../../src/recordings/availability.js';
import { streamTargetOf } from '../../src/recordings/stream-target.js';
import { recordingPayload } from '../../src/integrations/recording-events.js';
import { activitySettingsSchema, publicSettings } from '../../src/rooms/activity-settings.js';
import { createSessionTracker } from '../../src/rooms/session-tracker.js';
import { recordedClass } from '../support/fakes/recorded-class.js';
import { FakeRecorder } from '../support/fakes/recording-store.js';
import { MemoryWebhookStore } from '../support/fakes/room-store.js';

const code = (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (err: AppError) => err.code ?? (err as Error).name,
  );

describe('recordings (fakes)', () => {
  it('starts as a leader action: students refused, audited, the file named in the folder before Egress starts', async () => {
    const c = await recordedClass();
    assert.equal(await code(c.recordings.start(c.student, 'file')), 'FORBIDDEN');
    assert.equal(await code(c.recordings.start(c.student, 'stream', { url: 'rtmp://x/y', key: 'k' })), 'FORBIDDEN');
    assert.equal(c.store.recordings.size, 0);

    const view = await c.recordings.start(c.teacher, 'file');
    assert.equal(view.recordingId, `${c.session.sessionId}.r1`);
    assert.equal(view.status, 'starting');
    assert.deepEqual(c.recorder.calls[0], {
      op: 'recordRoom',
      room: c.f.roomKey,
      target: `/srv/recordings/${c.session.sessionId}.r1.mp4`,
      templateUrl: 'https://tool.test/recorder',
      audioOnly: false,
      ref: view.recordingId,
    });
    assert.deepEqual(c.store.kinds(view.recordingId), ['egress']);
    assert.deepEqual(
      (await c.f.audit.log(c.f.roomKey)).map((e) => [e.action, e.target]),
      [['recording-start', view.recordingId]],
    );
    assert.equal(await code(c.recordings.start(c.teacher, 'file')), 'RECORDING_ALREADY_ACTIVE');
    assert.equal((await c.status()).file?.status, 'starting');
  });

  it('refuses to start outside a live class, and with a plain code where recording is off or Egress silent', async () => {
    const c = await recordedClass();
    c.setAvailability({ available: false, reason: 'off' });
    assert.equal(await code(c.recordings.start(c.teacher, 'file')), 'RECORDING_OFF');
    c.setAvailability({ available: false, reason: 'unreachable' });
    assert.equal(await code(c.recordings.start(c.teacher, 'file')), 'RECORDING_UNAVAILABLE');
    const status = await c.status();
    assert.deepEqual([status.available, status.reason], [false, 'unreachable']);
    c.setAvailability({ available: true });
    await c.f.store.closeClassSession(c.f.roomKey, c.f.now());
    assert.equal(await code(c.recordings.start(c.teacher, 'file')), 'RECORDING_NO_CLASS');
    assert.equal(c.store.recordings.size, 0);
  });

  it('of two leaders starting at once, one records (the session’s 1st recording is inserted once)', async () => {
    const c = await recordedClass();
    const other = c.f.member('instructor', 'co-teacher');
    const results = await Promise.allSettled([
      c.recordings.start(c.teacher, 'file'),
      c.recordings.start(other, 'file'),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((refused.reason as AppError).code, 'RECORDING_ALREADY_ACTIVE');
    assert.equal(c.recorder.calls.filter((call) => call.op === 'recordRoom').length, 1);
  });

  it('turns Egress’s reports into facts once, tells the room, and queues integrator events idempotently', async () => {
    const c = await recordedClass();
    const view = await c.recordings.start(c.teacher, 'file');
    const egressId = c.store.factList.find((f) => f.kind === 'egress')?.egressId as string;
    const recording = (await c.store.get(view.recordingId))!;
    const startedAt = new Date(c.f.now().getTime() + 2000);
    const active = c.recorder.set(egressId, { status: 'active', startedAt });
    assert.equal(await c.jobs.apply(recording, active), true);
    assert.equal(await c.jobs.apply(recording, active), false, 'a redelivery records nothing');
    assert.equal((await c.status()).file?.status, 'recording');
    assert.ok(c.f.livekit.sent.some((s) => s.topic === 'recording' && s.room === c.f.roomKey));

    const endedAt = new Date(startedAt.getTime() + 20_000);
    const done = c.recorder.set(egressId, {
      status: 'complete',
      endedAt,
      files: [{ path: '/srv/recordings/x.mp4', durationMs: 19_900, sizeBytes: 4_200_000 }],
    });
    assert.equal(await c.jobs.apply(recording, done), true);
    assert.equal(await c.jobs.apply(recording, done), false);
    const ready = (await c.status()).file;
    assert.deepEqual([ready?.status, ready?.durationMs, ready?.sizeBytes], ['ready', 19_900, 4_200_000]);

    // The outbox is keyed by recording and type: the events repeated by redeliveries collapse to one each.
    const space = { spaceId: 'space-1' };
    const payloads = new Map(c.events.map((e) => [recordingPayload(space, e).id, recordingPayload(space, e)]));
    assert.deepEqual([...payloads.values()].map((p) => p.type).sort(), ['recording.ended', 'recording.started']);
    const ended = [...payloads.values()].find((p) => p.type === 'recording.ended');
    assert.deepEqual(
      [ended?.recording?.status, ended?.recording?.duration_seconds, ended?.recording?.size_bytes],
      ['ready', 20, 4_200_000],
    );
  });

  it('an egress webhook delivered twice reaches the recordings once (the tracker skips what it has seen)', async () => {
    const c = await recordedClass();
    const seen: string[] = [];
    const tracker = createSessionTracker({
      store: c.f.store,
      webhooks: new MemoryWebhookStore(),
      livekit: c.f.livekit,
      logger: pino({ level: 'silent' }),
      onEgress: async (e) => void seen.push(e.id),
    });
    const info: RecordingInfo = { egressId: 'EG_x', room: c.f.roomKey, status: 'active', files: [], streams: [] };
    const event = { id: 'EV_egress', event: 'egress_updated', createdAt: c.f.now(), egress: info };
    assert.equal(await tracker.handle(event), true);
    assert.equal(await tracker.handle(event), false);
    assert.deepEqual(seen, ['EV_egress']);
  });

  it('Egress dying mid-class: failed with its reason, the room told, and the teacher can start again', async () => {
    const c = await recordedClass();
    const first = await c.recordings.start(c.teacher, 'file');
    const egressId = c.store.factList.find((f) => f.kind === 'egress')?.egressId as string;
    const recording = (await c.store.get(first.recordingId))!;
    await c.jobs.apply(recording, c.recorder.set(egressId, { status: 'active', startedAt: c.f.now() }));
    const pushes = c.f.livekit.sent.length;
    await c.jobs.apply(recording, c.recorder.set(egressId, { status: 'failed', error: 'pipeline crashed' }));
    const failed = (await c.status()).file;
    assert.deepEqual([failed?.status, failed?.error], ['failed', 'pipeline crashed']);
    assert.ok(c.f.livekit.sent.length > pushes, 'the room is told');
    // Students see it stopped, not why.
    assert.equal((await c.recordings.statusOf(await c.room(), false)).file?.error, undefined);
    assert.ok(c.events.some((e) => e.type === 'recording.ended' && e.state.status === 'failed'));

    const again = await c.recordings.start(c.teacher, 'file');
    assert.equal(again.recordingId, `${c.session.sessionId}.r2`);
  });

  it('Egress gone without a word: Stop gives the recording up as failed, and recording can start again', async () => {
    const c = await recordedClass();
    const first = await c.recordings.start(c.teacher, 'file');
    const recording = (await c.store.get(first.recordingId))!;
    await c.jobs.apply(recording, c.recorder.set('EG_1', { status: 'active', startedAt: c.f.now() }));
    c.recorder.unreachable = true;
    const stopped = await c.recordings.stop(c.teacher, 'file');
    assert.equal(stopped.status, 'failed');
    assert.match(stopped.error ?? '', /did not answer when asked to stop/);
    c.recorder.unreachable = false;
    assert.equal((await c.recordings.start(c.teacher, 'file')).recordingId, `${c.session.sessionId}.r2`);
  });

  it('Egress refusing to start: failed, RECORDING_UNAVAILABLE, and nothing left running', async () => {
    const c = await recordedClass();
    c.recorder.refuse = true;
    assert.equal(await code(c.recordings.start(c.teacher, 'file')), 'RECORDING_UNAVAILABLE');
    assert.equal((await c.status()).file?.status, 'failed');
    c.recorder.refuse = false;
    assert.equal((await c.recordings.start(c.teacher, 'file')).status, 'starting');
  });

  it('streams to an RTMP(S) address: the key goes to Egress only, stored and logged masked', async () => {
    const c = await recordedClass();
    const key = 'live_123456789_abcdefghijklmnop';
    assert.equal(await code(c.recordings.start(c.teacher, 'stream', { url: 'http://x.test/app', key })), 'ZodError');
    assert.equal(
      await code(c.recordings.start(c.teacher, 'stream', { url: 'rtmp://u:p@x.test/app', key })),
      'ZodError',
    );
    const view = await c.recordings.start(c.teacher, 'stream', { url: 'rtmps://live.example.com/app/', key });
    assert.equal(c.recorder.calls.at(-1)?.target, `rtmps://live.example.com/app/${key}`);
    assert.equal(view.target, 'rtmps://live.example.com/app/****mnop');
    assert.equal((await c.store.get(view.recordingId))?.target, 'rtmps://live.example.com/app/****mnop');
    assert.equal(
      await code(c.recordings.start(c.teacher, 'stream', { url: 'rtmp://x.test/a', key: 'k' })),
      'RECORDING_STREAM_ALREADY_ACTIVE',
    );
    // A recording may run beside the stream.
    assert.equal((await c.recordings.start(c.teacher, 'file')).kind, 'file');
    await c.recordings.stop(c.teacher, 'stream');
    assert.deepEqual(
      (await c.f.audit.log(c.f.roomKey)).map((e) => e.action),
      ['stream-start', 'recording-start', 'stream-stop'],
    );
    const everything = JSON.stringify([
      ...c.store.recordings.values(),
      c.store.factList,
      await c.f.audit.log(c.f.roomKey),
    ]);
    assert.ok(!everything.includes(key) && !c.lines.join('').includes(key), 'the key is nowhere but at Egress');
  });

  it('streams to the activity’s own target when Go live names none: the key to Egress only, masked everywhere else', async () => {
    const key = 'class_987654321_zyxwvutsrq';
    const secret = `rtmps://live.example.com/app/${key}`;
    const c = await recordedClass({ recording: { streamUrl: secret } });
    const masked = 'rtmps://live.example.com/app/****tsrq';
    assert.equal(
      (await c.recordings.statusOf(await c.room(), true, c.teacher.settings)).streamTarget,
      masked,
      'the Go live form offers it, masked',
    );
    assert.equal((await c.recordings.statusOf(await c.room(), false, c.student.settings)).streamTarget, undefined);
    const view = await c.recordings.start(c.teacher, 'stream', { url: '' });
    assert.equal(c.recorder.calls.at(-1)?.target, secret);
    assert.equal(view.target, masked);
    // An address of the teacher's own wins over the class's.
    const other = await recordedClass({ recording: { streamUrl: secret } });
    const own = await other.recordings.start(other.teacher, 'stream', { url: 'rtmp://other.test/live', key: 'k' });
    assert.equal(other.recorder.calls.at(-1)?.target, 'rtmp://other.test/live/k');
    assert.equal(own.target, 'rtmp://other.test/live/****');
    assert.equal(publicSettings(c.teacher.settings).recording?.streamUrl, masked);
    const everything = JSON.stringify([
      ...c.store.recordings.values(),
      c.store.factList,
      await c.f.audit.log(c.f.roomKey),
      c.events.map((e) => recordingPayload({ spaceId: 'space' }, e)),
    ]);
    assert.ok(!everything.includes(key) && !c.lines.join('').includes(key), 'the key is nowhere but at Egress');
    // Without a class target, no address is refused as before.
    const bare = await recordedClass();
    assert.equal(await code(bare.recordings.start(bare.teacher, 'stream', { url: '' })), 'ZodError');
    // The activity's target is checked as the teacher's is.
    for (const bad of ['http://x.test/app/key', 'rtmp://u:p@x.test/app/key', 'rtmp://x.test/app key'])
      assert.equal(activitySettingsSchema.safeParse({ title: 'x', recording: { streamUrl: bad } }).success, false, bad);
  });

  it('appends the key to the address and masks it (maskStreamUrl), with or without a separate key', () => {
    const cases: Array<[{ url: string; key?: string }, string, string]> = [
      [
        { url: 'rtmp://a.rtmp.youtube.com/live2', key: 'abcd-efgh-ijkl-mnop' },
        'rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop',
        'rtmp://a.rtmp.youtube.com/live2/****mnop',
      ],
      [{ url: 'rtmps://x.test/app/', key: 'short' }, 'rtmps://x.test/app/short', 'rtmps://x.test/app/****'],
      [
        { url: 'rtmp://x.test/app/secret-key-in-the-address' },
        'rtmp://x.test/app/secret-key-in-the-address',
        'rtmp://x.test/app/****ress',
      ],
    ];
    for (const [input, secretUrl, masked] of cases) assert.deepEqual(streamTargetOf(input), { secretUrl, masked });
  });

  it('records by itself at the class start once; not for an activity that does not', async () => {
    const c = await recordedClass({ recording: { auto: true } });
    const room = await c.room();
    const first = await c.recordings.autoStart(room, c.session.sessionId);
    assert.equal(first?.startedBy.kind, 'auto');
    // The same session started again (a redelivered webhook, the other tool instance): nothing more.
    assert.equal(await c.recordings.autoStart(room, c.session.sessionId), undefined);
    const [a, b] = await Promise.all([
      c.recordings.autoStart(room, c.session.sessionId),
      c.recordings.autoStart(room, c.session.sessionId),
    ]);
    assert.deepEqual([a, b], [undefined, undefined]);
    assert.equal(c.store.recordings.size, 1);
    assert.equal((await c.recordings.statusOf(room, false, c.teacher.settings)).auto, true);

    const plain = await recordedClass();
    assert.equal(await plain.recordings.autoStart(await plain.room(), plain.session.sessionId), undefined);
  });

  it('two instances auto-starting at once insert one recording', async () => {
    const c = await recordedClass({ recording: { auto: true } });
    const room = await c.room();
    const both = await Promise.all([
      c.recordings.autoStart(room, c.session.sessionId),
      c.recordings.autoStart(room, c.session.sessionId),
    ]);
    assert.equal(both.filter(Boolean).length, 1);
    assert.equal(c.store.recordings.size, 1);
  });

  it('the class ending stops what records and streams', async () => {
    const c = await recordedClass();
    await c.recordings.start(c.teacher, 'file');
    await c.recordings.start(c.teacher, 'stream', { url: 'rtmp://x.test/app', key: 'k' });
    await c.recordings.classEnded(c.f.roomKey, c.session.sessionId);
    assert.deepEqual(
      c.recorder.calls.filter((call) => call.op === 'stop').map((call) => call.target),
      ['EG_1', 'EG_2'],
    );
  });

  it('reconciles with Egress: ended with its file’s size, lost or never started failed after the grace, stale ones stopped', async () => {
    const c = await recordedClass();
    const reconciler = c.newReconciler({
      graceMs: 60_000,
    });
    const done = await c.recordings.start(c.teacher, 'file');
    const egressId = c.store.factList.find((f) => f.kind === 'egress')?.egressId as string;
    c.recorder.set(egressId, {
      status: 'complete',
      startedAt: c.f.now(),
      endedAt: c.f.now(),
      files: [{ path: 'x', durationMs: 5000, sizeBytes: 900 }],
    });
    const lost = await c.recordings.start(c.teacher, 'stream', { url: 'rtmp://x.test/app', key: 'k' });
    c.recorder.jobs.delete('EG_2');
    assert.deepEqual(await reconciler.runOnce(), { checked: 2, changed: 1 });
    assert.equal((await c.jobs.state((await c.store.get(done.recordingId))!)).sizeBytes, 900);
    assert.equal((await c.jobs.state((await c.store.get(lost.recordingId))!)).status, 'starting', 'within the grace');
    c.f.tick(61_000);
    await reconciler.runOnce();
    const state = await c.jobs.state((await c.store.get(lost.recordingId))!);
    assert.deepEqual(
      [state.status, state.error],
      ['failed', 'The recorder lost this recording (it is no longer running).'],
    );

    // Still running in Egress while its class is over (the tool was down at the end): stopped.
    const running = await c.recordings.start(c.teacher, 'file');
    c.recorder.set('EG_3', { status: 'active', startedAt: c.f.now() });
    await c.f.store.closeClassSession(c.f.roomKey, c.f.now());
    await reconciler.runOnce();
    assert.equal(c.recorder.calls.at(-1)?.op, 'stop');
    assert.equal((await c.jobs.state((await c.store.get(running.recordingId))!)).status, 'recording');
  });

  it('reconciles with a dead Egress: silent or no longer running a job for egressLost, its recordings fail', async () => {
    const c = await recordedClass();
    let running: ReadonlySet<string> | 'down' = new Set();
    const reconciler = c.newReconciler({
      running: async () => {
        if (running === 'down') throw new Error('ECONNREFUSED');
        return running;
      },
      lostAfterMs: 30_000,
    });
    const file = await c.recordings.start(c.teacher, 'file');
    const stream = await c.recordings.start(c.teacher, 'stream', { url: 'rtmp://x.test/app', key: 'k' });
    c.recorder.set('EG_1', { status: 'active', startedAt: c.f.now() });
    c.recorder.set('EG_2', { status: 'active', startedAt: c.f.now() });
    running = new Set(['EG_1', 'EG_2']);
    await reconciler.runOnce();
    const status = async (id: string) => (await c.jobs.state((await c.store.get(id))!)).status;
    assert.deepEqual([await status(file.recordingId), await status(stream.recordingId)], ['recording', 'recording']);

    // Egress killed: the SFU still lists both as active; Egress does not answer.
    running = 'down';
    assert.equal((await reconciler.runOnce()).changed, 0);
    c.f.tick(20_000);
    assert.equal((await reconciler.runOnce()).changed, 0, 'within egressLost');
    c.f.tick(11_000);
    assert.deepEqual(await reconciler.runOnce(), { checked: 2, changed: 2 });
    for (const id of [file.recordingId, stream.recordingId]) {
      const s = await c.jobs.state((await c.store.get(id))!);
      assert.deepEqual(
        [s.status, s.error],
        ['failed', 'Egress stopped answering during the recording; what it wrote may be incomplete.'],
      );
    }
    assert.deepEqual(
      c.events.filter((e) => e.type.endsWith('.ended')).map((e) => `${e.type} ${e.state.status}`),
      ['recording.ended failed', 'livestream.ended failed'],
    );
    // The room hears of it, and can record again.
    await c.recordings.start(c.teacher, 'file');

    // Egress back (restarted within egressLost) but no longer running the job it had: failed once it has
    // not run it for egressLost, in passes close enough together.
    c.recorder.set('EG_3', { status: 'active', startedAt: c.f.now() });
    running = new Set();
    await reconciler.runOnce();
    c.f.tick(29_000);
    await reconciler.runOnce();
    assert.equal((await c.status()).file?.status, 'recording');
    c.f.tick(2_000);
    await reconciler.runOnce();
    assert.deepEqual(
      [(await c.status()).file?.status, (await c.status()).file?.error],
      ['failed', 'Egress stopped running this recording without a word (it was restarted or crashed).'],
    );

    // A blip: one silent pass, then Egress answers with the job: nothing happens, the count starts over.
    await c.recordings.start(c.teacher, 'file');
    c.recorder.set('EG_4', { status: 'active', startedAt: c.f.now() });
    running = 'down';
    await reconciler.runOnce();
    c.f.tick(25_000);
    running = new Set(['EG_4']);
    await reconciler.runOnce();
    running = 'down';
    c.f.tick(25_000);
    await reconciler.runOnce();
    assert.equal((await c.status()).file?.status, 'recording');
  });

  it('adopts a job whose start answer was lost: Egress names the recording in its request, the recording goes on', async () => {
    const c = await recordedClass({ recording: { auto: true } });
    const reconciler = c.newReconciler({
      running: async () => new Set(c.recorder.jobs.keys()),
      graceMs: 60_000,
    });
    c.recorder.loseAnswer = 'timeout';
    const lost = await c.recordings.autoStart(await c.room(), c.session.sessionId);
    assert.ok(lost);
    assert.equal((await c.jobs.launch(lost)).status, 'starting');
    // A tool that stopped before storing the answer: the recording as inserted, no facts, Egress running it.
    c.store.factList.splice(0);
    c.recorder.set('EG_1', { status: 'active', startedAt: c.f.now() });
    c.f.tick(200_000);
    assert.deepEqual(await reconciler.runOnce(), { checked: 1, changed: 1 });
    const s = await c.jobs.state(lost);
    assert.deepEqual([s.status, s.egressId], ['recording', 'EG_1']);
    // It ends as any other: stopped, then Egress's answer.
    c.recorder.loseAnswer = false;
    await c.recordings.stop(c.teacher, 'file');
    assert.equal(c.recorder.calls.at(-1)?.target, 'EG_1');
    // Another room's job of the same name (forged, or a copy) is not taken.
    const other = { ...c.recorder.jobs.get('EG_1')!, egressId: 'EG_9', room: 'elsewhere' };
    assert.equal(await c.jobs.adopt(lost, other), false);
  });

  it('availability: off without Egress, unreachable while its health port does not answer, cached briefly', async () => {
    assert.deepEqual(await createAvailability({ enabled: false, timeoutMs: 100 }).current(), {
      available: false,
      reason: 'off',
    });
    let calls = 0;
    let ok = false;
    let clock = 0;
    const a = createAvailability({
      enabled: true,
      recorder: new FakeRecorder(),
      healthUrl: 'http://egress.test/',
      timeoutMs: 100,
      cacheMs: 1000,
      now: () => clock,
      fetch: (async () => {
        calls += 1;
        if (!ok) throw new Error('ECONNREFUSED');
        return new Response('{}');
      }) as typeof fetch,
    });
    assert.deepEqual(await a.current(), { available: false, reason: 'unreachable' });
    ok = true;
    assert.deepEqual(await a.current(), { available: false, reason: 'unreachable' }, 'cached');
    clock = 1001;
    assert.deepEqual(await a.current(), { available: true });
    assert.equal(calls, 2);
    await a.check();
  });
});
