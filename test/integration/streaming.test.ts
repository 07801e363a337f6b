import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { freeTcpPort } from '../../src/dev/stack/ports.js';
import { isAppError } from '../../src/errors.js';
import type { RecorderGateway, RecordingInfo } from '../../src/livekit/recorder.js';
import { startDedicatedEnvironment, type DedicatedEnvironment } from '../support/dedicated-environment.js';
import { requireRecorderPage, stackRecorder, publisher } from '../support/egress-class.js';
import { meanLuma, meanVolumeDb, probe } from '../support/media-probe.js';
import { type TestParticipant, waitUntil } from '../support/room-client.js';
import { listenRtmp, tlsFront } from '../support/rtmp-listener.js';
import { testGateway } from '../support/test-tool.js';

const STREAM_MS = 15_000;
const KEY = `sk-${randomUUID()}`;
const ENDED = ['complete', 'failed', 'aborted'];

describe('streaming: the class streamed out to RTMP and received by a local ffmpeg listener', function () {
  this.timeout(180_000);
  let env: DedicatedEnvironment;
  let recorder: RecorderGateway;
  const templateUrl = () => `${env.tool.url}/recorder`;
  before(async () => {
    requireRecorderPage();
    env = await startDedicatedEnvironment({}, { recording: 'required' });
    recorder = stackRecorder(env.stack);
  });
  after(async () => {
    await env?.stop();
  });

  it('streams two people for ~15 s: the listener gets H.264 frames that are not black and AAC sound that is not silent', async () => {
    const room = await classOfTwo(env);
    const target = `rtmp://127.0.0.1:${await freeTcpPort()}/live/${KEY}`;
    const file = path.join(env.workDir, `${room.name}.flv`);
    const listener = listenRtmp(target, file);
    try {
      const { egressId } = await recorder.streamRoom(room.name, [target], { templateUrl: templateUrl() });
      const active = await until(recorder, room.name, egressId, (r) => r.status === 'active');
      assert.equal(active.streams.length, 1, JSON.stringify(active));
      assert.ok(
        !JSON.stringify(active).includes(KEY),
        `Egress reports the URL without its key: ${active.streams[0]?.url}`,
      );
      await new Promise((resolve) => setTimeout(resolve, STREAM_MS));
      await recorder.stop(egressId);
      const ended = await until(recorder, room.name, egressId, (r) => ENDED.includes(r.status));
      assert.equal(ended.status, 'complete', JSON.stringify(ended));
      assert.equal(ended.streams[0]?.status, 'finished', JSON.stringify(ended));
      await Promise.race([listener.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      assert.ok(existsSync(file) && statSync(file).size > 0, `the listener wrote nothing:\n${listener.log()}`);
      const probed = await probe(file);
      assert.deepEqual(probed.streams.map((s) => `${s.type}:${s.codec}`).sort(), ['audio:aac', 'video:h264']);
      assert.ok(probed.durationS > STREAM_MS / 1000 / 2, `${probed.durationS} s received of ~${STREAM_MS / 1000} s`);
      assert.ok((await meanVolumeDb(file)) > -40, 'the tones are heard');
      assert.ok((await meanLuma(file)) > 30, 'the cameras are there, not black');
    } finally {
      listener.stop();
      await room.leave();
    }
  });

  it('a target that refuses the connection: the stream fails at once with Egress’s reason, and Egress stays up', async () => {
    const room = await classOfTwo(env);
    try {
      const target = `rtmp://127.0.0.1:${await freeTcpPort()}/live/${KEY}`;
      const { egressId } = await recorder.streamRoom(room.name, [target], { templateUrl: templateUrl() });
      const ended = await until(recorder, room.name, egressId, (r) => ENDED.includes(r.status));
      assert.equal(ended.status, 'failed', JSON.stringify(ended));
      assert.match(ended.error ?? '', /connection refused/i);
      assert.equal(ended.streams[0]?.status, 'failed');
      assert.equal(ended.streams[0]?.error, ended.error);
      assert.ok(!JSON.stringify(ended).includes(KEY), JSON.stringify(ended));
      assert.equal(await exitedYet(env), false, 'Egress shut itself down');
    } finally {
      await room.leave();
    }
  });

  it('a target that drops the connection mid-stream: the stream fails with Egress’s reason, and Egress stays up', async () => {
    const room = await classOfTwo(env);
    const target = `rtmp://127.0.0.1:${await freeTcpPort()}/live/${KEY}`;
    const listener = listenRtmp(target);
    try {
      const { egressId } = await recorder.streamRoom(room.name, [target], { templateUrl: templateUrl() });
      await until(recorder, room.name, egressId, (r) => r.status === 'active');
      await new Promise((resolve) => setTimeout(resolve, 3000));
      listener.stop();
      const ended = await until(recorder, room.name, egressId, (r) => ENDED.includes(r.status));
      assert.equal(ended.status, 'failed', JSON.stringify(ended));
      // "Connection error: connection closed remotely", or "…: Error receiving data: Connection reset by peer".
      assert.match(ended.error ?? '', /^Connection error: /);
      assert.equal(ended.streams[0]?.status, 'failed');
      assert.equal(await exitedYet(env), false, 'Egress shut itself down');
    } finally {
      listener.stop();
      await room.leave();
    }
  });

  it('an RTMPS target whose certificate this machine does not trust: Egress speaks TLS to it, and the stream fails saying so', async () => {
    const room = await classOfTwo(env);
    const plain = await freeTcpPort();
    const listener = listenRtmp(`rtmp://127.0.0.1:${plain}/live/${KEY}`);
    const front = await tlsFront(plain, env.workDir);
    try {
      const target = `rtmps://127.0.0.1:${front.port}/live/${KEY}`;
      const { egressId } = await recorder.streamRoom(room.name, [target], { templateUrl: templateUrl() });
      const ended = await until(recorder, room.name, egressId, (r) => ENDED.includes(r.status));
      assert.equal(ended.status, 'failed', JSON.stringify(ended));
      assert.match(ended.error ?? '', /Unacceptable TLS certificate/);
      assert.ok(front.connections() > 0, 'Egress never connected');
      assert.equal(await exitedYet(env), false, 'Egress shut itself down');
    } finally {
      front.close();
      listener.stop();
      await room.leave();
    }
  });

  it('a URL Egress refuses: the error says so without the URL or its key, anywhere in it', async () => {
    // No app before the key: Egress answers `invalid url <the URL>: rtmp urls must be of format …`.
    const target = `rtmp://127.0.0.1:1/${KEY}`;
    const room = `stream-${randomUUID()}`;
    await testGateway({ stack: env.stack }).createRoom({ name: room, emptyTimeoutSeconds: 60 });
    const error = await recorder.streamRoom(room, [target], { templateUrl: templateUrl() }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(isAppError(error), String(error));
    assert.equal(error.code, 'LIVEKIT_REQUEST_FAILED');
    const cause = error.cause as Error;
    assert.match(cause.message, /invalid url/);
    for (const text of [error.message, error.stack, cause.message, cause.stack])
      assert.ok(!text?.includes(KEY), `the key is in: ${text}`);
    assert.ok(!readFileSync(path.join(env.workDir, 'egress', 'egress.log'), 'utf8').includes(KEY), 'in Egress’s log');
  });

  // Last: it stops this suite's Egress.
  it('stopping Egress with a job still waiting for its page leaves no handler, Xvfb or Chromium behind', async () => {
    const egress = env.stack.egress;
    if (!egress) throw new Error('no Egress on this stack');
    const room = await classOfTwo(env);
    try {
      // A page that never says START_RECORDING: the job stays starting, its handler waiting.
      const target = `rtmp://127.0.0.1:${await freeTcpPort()}/live/${KEY}`;
      await recorder.streamRoom(room.name, [target], { templateUrl: `${env.tool.url}/no-such-page` });
      let handlers: number[] = [];
      await waitUntil(
        () => (handlers = childrenNamed(egress.process.pid, 'run-handler')).length > 0,
        30_000,
        'a handler',
      );
      await egress.stop();
      // Killed processes linger a moment until they are reaped.
      await waitUntil(
        () => handlers.every((leader) => !groupAlive(leader)),
        5_000,
        () => `the handlers' process groups to end (${handlers.filter(groupAlive).join(', ')} still there)`,
      );
    } finally {
      await room.leave();
    }
  });
});

/** Children of `pid` whose command line holds `word`, from /proc. */
function childrenNamed(pid: number, word: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(word);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function groupAlive(leader: number): boolean {
  try {
    process.kill(-leader, 0);
    return true;
  } catch {
    return false;
  }
}

async function classOfTwo(env: DedicatedEnvironment): Promise<{ name: string; leave(): Promise<void> }> {
  const name = `stream-${randomUUID()}`;
  await testGateway({ stack: env.stack }).createRoom({ name, emptyTimeoutSeconds: 60 });
  const people: TestParticipant[] = [];
  const leave = async () => {
    await Promise.all(people.map((p) => p.disconnect()));
  };
  try {
    for (const identity of ['u-one', 'u-two']) people.push(await publisher(env.stack, name, identity));
  } catch (err) {
    await leave();
    throw err;
  }
  return { name, leave };
}

async function exitedYet(env: DedicatedEnvironment): Promise<boolean> {
  const egress = env.stack.egress;
  if (!egress) throw new Error('no Egress on this stack');
  return Promise.race([egress.process.exited.then(() => true), new Promise<boolean>((r) => setTimeout(r, 200, false))]);
}

async function until(
  recorder: RecorderGateway,
  room: string,
  egressId: string,
  done: (info: RecordingInfo) => boolean,
): Promise<RecordingInfo> {
  let seen: RecordingInfo | undefined;
  await waitUntil(
    async () => {
      seen = (await recorder.list(room)).find((r) => r.egressId === egressId);
      return seen !== undefined && done(seen);
    },
    60_000,
    () => JSON.stringify(seen),
  );
  return seen as RecordingInfo;
}
