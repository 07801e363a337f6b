import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, type Stack } from '../../src/dev/stack/stack.js';
import { startDedicatedEnvironment, type DedicatedEnvironment } from '../support/dedicated-environment.js';
import type { RecorderGateway, RecordingInfo } from '../../src/livekit/recorder.js';
import { stackRecorder, publisher } from '../support/egress-class.js';
import { meanLuma, meanVolumeDb, probe, soundUntilS } from '../support/media-probe.js';
import { waitUntil, type TestParticipant } from '../support/room-client.js';
import { testGateway } from '../support/test-tool.js';

const RECORD_MS = 20_000;

describe('recorder: LiveKit Egress on the stack records a participant for real', function () {
  this.timeout(120_000);
  let workDir: string;
  let stack: Stack;
  let recorder: RecorderGateway;
  before(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'liveclass-recorder-'));
    // Required: a machine without GStreamer or Redis fails here, naming what to install.
    stack = await startStack({ workDir, env: {}, recording: 'required' });
    recorder = stackRecorder(stack);
  });
  after(async () => {
    await stack?.stop();
    if (workDir && !process.env.KEEP_TEST_DATA) rmSync(workDir, { recursive: true, force: true });
  });

  it('writes an MP4 with H.264 video and Opus audio, as long as the recording, neither silent nor black', async () => {
    assert.ok(stack.recording.enabled);
    const gateway = testGateway({ stack });
    const room = `rec-${randomUUID()}`;
    await gateway.createRoom({ name: room, emptyTimeoutSeconds: 60 });
    const identity = 'u-recorded';
    const person = await publisher(stack, room, identity);
    try {
      const file = path.join(stack.recording.outputDir, `${room}.mp4`);
      const started = await recorder.recordParticipant(room, identity, file);
      const { info: done, recordedMs } = await recordFor(recorder, room, started.egressId, RECORD_MS);
      assert.equal(done.status, 'complete', done.error);
      assert.equal(done.files[0]?.path, file);

      const probed = await probe(file);
      assert.deepEqual(probed.streams.map((s) => `${s.type}:${s.codec}`).sort(), ['audio:opus', 'video:h264']);
      // Egress v1.8.6 pads the audio with a few seconds of silence while it stops: what was recorded is the
      // video, Egress's own duration and the sound before that padding.
      const video = probed.streams.find((s) => s.type === 'video')?.durationS ?? 0;
      const sound = await soundUntilS(file, probed.durationS);
      const within = (seconds: number) => Math.abs((seconds * 1000) / recordedMs - 1) < 0.1;
      const seen = `video ${video}s, sound ${sound}s, Egress ${done.files[0]?.durationMs} ms for ${recordedMs} ms`;
      assert.ok(within(video) && within(sound) && within((done.files[0]?.durationMs ?? 0) / 1000), seen);
      assert.ok((await meanVolumeDb(file)) > -40, 'the tone is heard');
      assert.ok((await meanLuma(file)) > 30, 'the camera picture is there, not black');
    } finally {
      await person.disconnect();
    }
  });
});

describe("recorder: the class as people saw it, recorded from the tool's own page", function () {
  this.timeout(180_000);
  let env: DedicatedEnvironment;
  before(async () => {
    env = await startDedicatedEnvironment({}, { recording: 'required' });
  });
  after(async () => {
    await env?.stop();
  });

  it('records two people for ~20 s: both pictures and their sound, in one MP4 as long as the recording', async () => {
    const { stack } = env;
    assert.ok(stack.recording.enabled);
    const recorder = stackRecorder(stack);
    const gateway = testGateway({ stack });
    const room = `rec-${randomUUID()}`;
    await gateway.createRoom({ name: room, emptyTimeoutSeconds: 60 });
    const people: TestParticipant[] = [];
    try {
      for (const identity of ['u-one', 'u-two']) people.push(await publisher(stack, room, identity));
      const file = path.join(stack.recording.outputDir, `${room}.mp4`);
      const started = await recorder.recordRoom(room, file, { templateUrl: `${env.tool.url}/recorder` });
      const { info, recordedMs } = await recordFor(recorder, room, started.egressId, 20_000);
      assert.equal(info.status, 'complete', info.error);
      const probed = await probe(file);
      assert.deepEqual(probed.streams.map((s) => `${s.type}:${s.codec}`).sort(), ['audio:opus', 'video:h264']);
      const ratio = (probed.durationS * 1000) / recordedMs;
      assert.ok(Math.abs(ratio - 1) < 0.1, `file ${probed.durationS}s for ${recordedMs} ms recorded`);
      assert.ok((await meanVolumeDb(file)) > -40, 'the tones are heard');
      assert.ok((await meanLuma(file)) > 30, 'the cameras are there, not black');
    } finally {
      await Promise.all(people.map((p) => p.disconnect()));
    }
  });
});

/**
 * Waits until the recording is active, lets it run `ms`, stops it and waits for its end. The time it recorded
 * runs from Egress's own start (a loaded machine reports `active` a second or more after it began) to the stop.
 */
async function recordFor(
  recorder: RecorderGateway,
  room: string,
  egressId: string,
  ms: number,
): Promise<{ info: RecordingInfo; recordedMs: number }> {
  let seen: RecordingInfo | undefined;
  const state = async () => (seen = (await recorder.list(room)).find((r) => r.egressId === egressId));
  await waitUntil(
    async () => (await state())?.status === 'active',
    60_000,
    () => `active (${JSON.stringify(seen)})`,
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  const stoppedAt = Date.now();
  await recorder.stop(egressId);
  await waitUntil(
    async () => ['complete', 'failed', 'aborted'].includes((await state())?.status ?? ''),
    60_000,
    () => `ended (${JSON.stringify(seen)})`,
  );
  const info = seen as RecordingInfo;
  if (!info.startedAt) throw new Error(`Egress reported no start: ${JSON.stringify(info)}`);
  return { info, recordedMs: stoppedAt - info.startedAt.getTime() };
}
