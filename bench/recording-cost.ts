/**
 * `npm run bench`: the CPU cost of recording and of streaming a class on this machine. One stack with real
 * Egress, a class of two people (camera and tone each), and three kinds of window of the same length, taken
 * in turns: nothing (the class alone), one RoomComposite recording to MP4, one RoomComposite stream to a
 * local RTMP listener. CPU time comes from /proc: Egress and everything it starts (its handler, Xvfb,
 * Chromium, GStreamer), the stack's PulseAudio (which carries the room's sound to Egress), the SFU, and, to
 * show what is not counted, the listener and this process (the two publishers). Results are cores used
 * (CPU seconds per second) beside Egress's published cost units, which are in cores too.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freeTcpPort } from '../src/dev/stack/ports.js';
import { createLiveKitRecorder } from '../src/livekit/livekit-recorder.js';
import type { RecorderGateway, RecordingInfo } from '../src/livekit/recorder.js';
import { projectRoot } from '../src/paths.js';
import { startDedicatedEnvironment, type DedicatedEnvironment } from '../test/support/dedicated-environment.js';
import { publisher } from '../test/support/egress-class.js';
import { type TestParticipant, waitUntil } from '../test/support/room-client.js';
import { listenRtmp, type RtmpListener } from '../test/support/rtmp-listener.js';
import { testGateway } from '../test/support/test-tool.js';
import { processTree, readProcesses, TICKS_PER_SECOND } from './lib/process-cpu.js';
import { runBench } from './lib/run.js';

const run = promisify(execFile);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_S ?? 30) * 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/**
 * BENCH_CAMERA=moving: each camera 640x360 at 25 fps of moving bars, instead of the tests' flat 160x120 at
 * 10 fps; the results go to recording-cost-moving.json.
 */
const MOVING = process.env.BENCH_CAMERA === 'moving';
const CAMERA = MOVING ? { moving: { width: 640, height: 360, fps: 25 } } : {};
/** After Egress says active: Chromium has loaded the page and the encoder has settled. */
const SETTLE_MS = 5000;

/**
 * LiveKit's cost units, in cores, as LiveKit Egress v1.8.6 defines them (pkg/config/service.go, the
 * defaults of `cpu_cost`): what one job of each kind reserves on an Egress instance before it takes more.
 * A stream and a file of one room are both room composites.
 */
const PUBLISHED_UNITS = {
  source: 'LiveKit Egress v1.8.6, pkg/config/service.go (defaults of cpu_cost in the Egress config)',
  room_composite_cpu_cost: 4,
  audio_room_composite_cpu_cost: 1,
  web_cpu_cost: 4,
  audio_web_cpu_cost: 1,
  participant_cpu_cost: 2,
  track_composite_cpu_cost: 1,
  track_cpu_cost: 0.5,
};

type Kind = 'baseline' | 'recording' | 'stream';
const PARTS = ['egress', 'pulse', 'sfu', 'listener', 'publishers'] as const;
type Part = (typeof PARTS)[number];

interface Window {
  kind: Kind;
  round: number;
  seconds: number;
  /** Cores used by each part over the window. */
  cores: Record<Part, number>;
  /** Cores used by the whole machine (every process, ours and others'), from /proc/stat. */
  machineCores: number;
  egressProcesses: number;
  /** Video frames a second in what was written or received: 25 when Egress kept up, fewer when it was short of CPU. */
  outputFps?: number;
}

async function main(): Promise<void> {
  const env = await startDedicatedEnvironment({}, { recording: 'required' });
  const people: TestParticipant[] = [];
  try {
    const { url, apiKey, apiSecret } = env.stack.livekit;
    const recorder = createLiveKitRecorder({
      apiUrl: url.replace(/^ws/, 'http'),
      apiKey,
      apiSecret,
      requestTimeoutMs: 10_000,
    });
    const room = `cost-${randomUUID()}`;
    await testGateway({ stack: env.stack }).createRoom({ name: room, emptyTimeoutSeconds: 300 });
    for (const identity of ['u-one', 'u-two']) people.push(await publisher(env.stack, room, identity, CAMERA));
    await sleep(SETTLE_MS);

    const order: Kind[] = ['baseline', 'recording', 'stream'];
    const windows: Window[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Each round starts one later in the order, so no kind always follows the same other.
      const shift = (round - 1) % order.length;
      for (const kind of [...order.slice(shift), ...order.slice(0, shift)]) {
        const window = await measure(env, recorder, room, kind, round);
        windows.push(window);
        console.log(`round ${round} ${kind}: ${JSON.stringify(window.cores)} machine ${window.machineCores}`);
      }
    }
    const result = summarise(windows);
    writeFileSync(
      path.join(projectRoot(), 'bench', 'results', MOVING ? 'recording-cost-moving.json' : 'recording-cost.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(JSON.stringify(result.summary, null, 2));
  } finally {
    await Promise.all(people.map((p) => p.disconnect()));
    await env.stop();
  }
}

async function measure(
  env: DedicatedEnvironment,
  recorder: RecorderGateway,
  room: string,
  kind: Kind,
  round: number,
): Promise<Window> {
  let listener: RtmpListener | undefined;
  let egressId: string | undefined;
  const templateUrl = `${env.tool.url}/recorder`;
  const file = path.join(env.workDir, `${room}-${round}-${kind}.${kind === 'stream' ? 'flv' : 'mp4'}`);
  if (kind === 'recording') {
    egressId = (await recorder.recordRoom(room, file, { templateUrl })).egressId;
  } else if (kind === 'stream') {
    const target = `rtmp://127.0.0.1:${await freeTcpPort()}/live/${randomUUID()}`;
    listener = listenRtmp(target, file);
    egressId = (await recorder.streamRoom(room, [target], { templateUrl })).egressId;
  }
  if (egressId) {
    await until(recorder, room, egressId, (r) => r.status === 'active');
    await sleep(SETTLE_MS);
  }
  const roots = rootsOf(env, listener);
  const before = sample(roots);
  await sleep(MEASURE_MS);
  const after = sample(roots);
  if (egressId) {
    const last = await until(recorder, room, egressId, () => true);
    if (last.status !== 'active') throw new Error(`${kind} did not stay active: ${JSON.stringify(last)}`);
    await recorder.stop(egressId);
    const ended = await until(recorder, room, egressId, (r) => ['complete', 'failed', 'aborted'].includes(r.status));
    if (ended.status !== 'complete') throw new Error(`${kind} ended ${ended.status}: ${ended.error ?? ''}`);
  }
  if (listener) {
    await Promise.race([listener.exited, sleep(10_000)]);
    listener.stop();
    if (!/Stream #\d+:\d+.*Video/.test(listener.log()))
      throw new Error(`the listener got no video:\n${listener.log()}`);
  }
  const outputFps = egressId ? await framesPerSecond(file) : undefined;
  const seconds = (after.at - before.at) / 1000;
  const cores = Object.fromEntries(
    PARTS.map((part) => [part, round3((after.ticks[part] - before.ticks[part]) / TICKS_PER_SECOND / seconds)]),
  ) as Record<Part, number>;
  return {
    kind,
    round,
    seconds: round3(seconds),
    cores,
    machineCores: round3((after.machineTicks - before.machineTicks) / TICKS_PER_SECOND / seconds),
    egressProcesses: after.egressProcesses,
    ...(outputFps === undefined ? {} : { outputFps }),
  };
}

/** Video packets over the duration, counted by ffprobe without decoding. */
async function framesPerSecond(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-count_packets',
    '-show_entries',
    'stream=nb_read_packets:format=duration',
    '-of',
    'json',
    file,
  ]);
  const json = JSON.parse(stdout) as { streams: Array<{ nb_read_packets: string }>; format: { duration: string } };
  return round3(Number(json.streams[0]?.nb_read_packets ?? 0) / Number(json.format.duration));
}

type Roots = Record<Exclude<Part, 'publishers'>, number[]>;

function rootsOf(env: DedicatedEnvironment, listener: RtmpListener | undefined): Roots {
  const { egress, pulse, livekitServer } = env.stack;
  if (!egress || !pulse || !livekitServer) throw new Error('this stack does not run Egress, PulseAudio and the SFU');
  return {
    egress: [egress.process.pid],
    pulse: [pulse.process.pid],
    sfu: [livekitServer.process.pid],
    listener: listener?.pid ? [listener.pid] : [],
  };
}

interface Sample {
  at: number;
  /** Per part: the CPU ticks of the processes alive now. Processes that end in a window lose their ticks. */
  ticks: Record<Part, number>;
  machineTicks: number;
  egressProcesses: number;
}

/**
 * Each part's processes are those alive at the sample; a process that starts inside the window counts
 * from its start (all its ticks are inside it), one that starts before counts from the first sample.
 * Same pids at both ends: the handler, Xvfb and Chromium of a job live through its window.
 */
function sample(roots: Roots): Sample {
  const procs = readProcesses();
  const ticks = {} as Record<Part, number>;
  let egressProcesses = 0;
  for (const part of Object.keys(roots) as Array<keyof Roots>) {
    const tree = processTree(procs, roots[part]);
    if (part === 'egress') egressProcesses = tree.length;
    ticks[part] = tree.reduce((sum, p) => sum + p.ownTicks, 0);
  }
  const usage = process.cpuUsage();
  ticks.publishers = ((usage.user + usage.system) / 1e6) * TICKS_PER_SECOND;
  return { at: performance.now(), ticks, machineTicks: machineTicks(), egressProcesses };
}

/** Busy ticks of the whole machine so far (all CPUs): /proc/stat's first line without idle and iowait. */
function machineTicks(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return user + nice + system + irq + softirq + steal;
  } catch {
    return 0;
  }
}

function summarise(windows: Window[]) {
  const mean = (kind: Kind, pick: (w: Window) => number) => {
    const of = windows.filter((w) => w.kind === kind);
    return round3(of.reduce((sum, w) => sum + pick(w), 0) / of.length);
  };
  const counted = (w: Window) => w.cores.egress + w.cores.pulse + w.cores.sfu;
  const baseline = mean('baseline', counted);
  const cost = (kind: 'recording' | 'stream') => {
    const total = mean(kind, counted);
    const added = round3(total - baseline);
    return {
      egressCores: mean(kind, (w) => w.cores.egress),
      pulseCores: mean(kind, (w) => w.cores.pulse),
      sfuCores: mean(kind, (w) => w.cores.sfu),
      sfuAddedCores: round3(mean(kind, (w) => w.cores.sfu) - mean('baseline', (w) => w.cores.sfu)),
      countedCores: total,
      addedCores: added,
      ratioToRoomCompositeUnit: round3(added / PUBLISHED_UNITS.room_composite_cpu_cost),
      outputFps: mean(kind, (w) => w.outputFps ?? 0),
    };
  };
  return {
    benchmark: 'recording-cost',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadAverageAtEnd: loadAverage() },
    egress: 'LiveKit Egress v1.8.6 (RoomComposite of the /recorder page, 1280x720 25 fps H.264 2 Mbps)',
    class: `two @livekit/rtc-node publishers, camera and tone each; cameras ${
      MOVING ? '640x360 25 fps, moving bars' : '160x120 10 fps, a flat colour'
    }`,
    measureSeconds: MEASURE_MS / 1000,
    rounds: ROUNDS,
    publishedUnits: PUBLISHED_UNITS,
    summary: {
      baselineCores: {
        egress: mean('baseline', (w) => w.cores.egress),
        pulse: mean('baseline', (w) => w.cores.pulse),
        sfu: mean('baseline', (w) => w.cores.sfu),
        counted: baseline,
      },
      recording: cost('recording'),
      stream: cost('stream'),
      streamToRecording: round3(cost('stream').addedCores / cost('recording').addedCores),
      machineCores: {
        baseline: mean('baseline', (w) => w.machineCores),
        recording: mean('recording', (w) => w.machineCores),
        stream: mean('stream', (w) => w.machineCores),
      },
    },
    windows,
  };
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

/** An object, not an array: JSON.stringify then writes what prettier keeps as it is. */
function loadAverage() {
  const [oneMinute = 0, fiveMinutes = 0, fifteenMinutes = 0] = os.loadavg().map(round3);
  return { oneMinute, fiveMinutes, fifteenMinutes };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round3 = (n: number) => Math.round(n * 1000) / 1000;

runBench(main);
