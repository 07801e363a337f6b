/**
 * A person in a live class without a browser: integration tests (and the benchmarks) use this. A
 * `LaunchedUser` is launched through the demo LMS over real HTTP (the OIDC round trip) and calls the room
 * API with the launcher's bearer token; with its join grant a `TestParticipant` connects to the real SFU
 * through the LiveKit Node SDK (@livekit/rtc-node) and publishes real tracks, so what a test observes is
 * the SFU's own enforcement. `useSfuFixture` is the usual suite around both. For a person in a Chromium
 * page, use room-pages.ts.
 */
import assert from 'node:assert/strict';
import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
  type RemoteParticipant,
  type RemoteTrack,
} from '@livekit/rtc-node';
import mongoose, { type Connection } from 'mongoose';
import { createAuditStore } from '../../src/db/audit-store.js';
import { createRoomStore } from '../../src/db/room-store.js';
import type { LiveKitGateway, ParticipantInfo } from '../../src/livekit/gateway.js';
import type { AuditStore } from '../../src/rooms/audit-store.js';
import type { RoomStore } from '../../src/rooms/room-store.js';
import { launchThroughDemo, LtiBrowser } from './lti-launch.js';
import { testGateway, useTestEnvironment, type TestEnvironment } from './test-tool.js';

export type DemoRole = 'instructor' | 'student' | 'observer';

/** What POST /api/room/token answers: the room, the identity and a join token for the SFU. */
export interface Grant {
  url: string;
  token: string;
  identity: string;
  expiresAt: string;
  room: string;
}

/** One launched user: the launcher's bearer token and helpers for the room API. */
export class LaunchedUser {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  static async launch(baseUrl: string, role: DemoRole, activity?: string, user?: string): Promise<LaunchedUser> {
    const result = await launchThroughDemo(new LtiBrowser(baseUrl), {
      role,
      ...(activity ? { activity } : {}),
      ...(user ? { user } : {}),
    });
    assert.equal(result.status, 303, result.body);
    return new LaunchedUser(baseUrl, result.token as string);
  }

  request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async json<T = any>(method: string, path: string, body?: unknown, expectStatus = 200): Promise<T> {
    const res = await this.request(method, path, body);
    const text = await res.text();
    assert.equal(res.status, expectStatus, `${method} ${path}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  joinGrant(): Promise<Grant> {
    return this.json('POST', '/room/token');
  }

  /** Creates a live class through deep linking (as an instructor) and returns the demo's new resource link id. */
  static async createActivity(baseUrl: string, settings: Record<string, unknown>): Promise<string> {
    const browser = new LtiBrowser(baseUrl);
    const launch = await launchThroughDemo(browser, { role: 'instructor', message: 'deeplink' });
    const teacher = new LaunchedUser(baseUrl, launch.token as string);
    const { returnUrl, jwt } = await teacher.json('POST', '/deep-linking', settings, 201);
    const page = await browser.postForm(returnUrl, { JWT: jwt });
    assert.equal(page.status, 200, await page.text());
    const course = await (await fetch(`${baseUrl}/demo`)).text();
    const ids = [...course.matchAll(/value="(demo-activity-\d+)"/g)].map((m) => m[1] as string);
    const id = ids.pop();
    assert.ok(id, 'new activity listed in the demo course');
    return id;
  }
}

/** The grants inside a LiveKit join token (decoded, not verified: the SFU verifies). */
export function videoGrant(token: string): Record<string, any> {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Record<string, any>;
  return payload.video as Record<string, any>;
}

/** One second of RGBA frames of diagonal bars, shifted a little each frame. */
function movingBars(width: number, height: number, fps: number): Uint8Array[] {
  const tint = Math.floor(Math.random() * 128);
  return Array.from({ length: fps }, (_, k) => {
    const pixels = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const on = (x + y + k * 6) % 48 < 24;
        const i = (y * width + x) * 4;
        pixels[i] = on ? 230 : 30;
        pixels[i + 1] = on ? 200 - tint : 40 + tint;
        pixels[i + 2] = on ? 60 + tint : 120;
        pixels[i + 3] = 255;
      }
    return pixels;
  });
}

/** A real LiveKit participant: connects with a grant from the tool and records the data it receives. */
export class TestParticipant {
  readonly room = new Room();
  readonly data: Array<{ topic?: string; payload: unknown; from?: string }> = [];
  /**
   * Audio frames with sound in them (a peak above silence) received so far, per participant: what the SFU
   * forwards, decoded. A track the SFU stops forwarding stops adding to it.
   */
  readonly heard = new Map<string, number>();
  disconnected = false;
  private frames: ReturnType<typeof setInterval> | undefined;
  private tone: ReturnType<typeof setInterval> | undefined;

  constructor() {
    this.room.on(
      RoomEvent.DataReceived,
      (payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string) => {
        let value: unknown = new TextDecoder().decode(payload);
        try {
          value = JSON.parse(value as string);
        } catch {
          // keep the text
        }
        this.data.push({ topic, payload: value, from: participant?.identity });
      },
    );
    this.room.on(RoomEvent.Disconnected, () => {
      this.disconnected = true;
    });
    this.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _publication: unknown, from: RemoteParticipant) => {
      if (track.kind === TrackKind.KIND_AUDIO) void this.count(new AudioStream(track), from.identity);
    });
  }

  /** Reads the stream until it ends (the track is unsubscribed), counting the frames that carry sound. */
  private async count(stream: AudioStream, identity: string): Promise<void> {
    for await (const frame of stream) {
      if (frame.data.some((sample) => Math.abs(sample) > 1000)) {
        this.heard.set(identity, (this.heard.get(identity) ?? 0) + 1);
      }
    }
  }

  static async connect(grant: { url: string; token: string }): Promise<TestParticipant> {
    const p = new TestParticipant();
    await p.room.connect(grant.url, grant.token, { autoSubscribe: false, dynacast: false });
    return p;
  }

  /**
   * Publishes a microphone track, silent unless `tone` (a 440 Hz sine fed every 10 ms, for recordings that
   * must not be silent); rejects when the SFU does not allow the source.
   */
  async publishMicrophone(options: { tone?: boolean } = {}): Promise<string> {
    const rate = 48_000;
    const source = new AudioSource(rate, 1);
    const track = LocalAudioTrack.createAudioTrack('microphone', source);
    if (options.tone) {
      const samples = rate / 100;
      let t = 0;
      this.tone = setInterval(() => {
        const data = new Int16Array(samples);
        for (let i = 0; i < samples; i++, t++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * t) / rate));
        void source.captureFrame(new AudioFrame(data, rate, 1, samples)).catch(() => undefined);
      }, 10);
    }
    return this.publish(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
  }

  /**
   * Publishes a small camera track fed 10 frames a second (a flat colour per participant), so a browser
   * that subscribes receives real video bytes and one that the SFU paused receives none. `moving` instead
   * feeds diagonal bars that move every frame, at that size and rate: a picture that costs what moving
   * video costs to encode and composite.
   */
  async publishCamera(options: { moving?: { width: number; height: number; fps: number } } = {}): Promise<string> {
    const { width, height, fps } = options.moving ?? { width: 160, height: 120, fps: 10 };
    const source = new VideoSource(width, height);
    const track = LocalVideoTrack.createVideoTrack('camera', source);
    const frames = options.moving
      ? movingBars(width, height, fps)
      : [new Uint8Array(width * height * 4).fill(Math.floor(Math.random() * 200) + 30)];
    let next = 0;
    this.frames = setInterval(() => {
      const pixels = frames[next++ % frames.length] as Uint8Array;
      source.captureFrame(new VideoFrame(pixels, width, height, VideoBufferType.RGBA));
    }, 1000 / fps);
    return this.publish(track, new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA, simulcast: false }));
  }

  private async publish(track: LocalAudioTrack | LocalVideoTrack, options: TrackPublishOptions): Promise<string> {
    const publication = await withTimeout(
      this.room.localParticipant!.publishTrack(track, options),
      5_000,
      'publishTrack',
    );
    return publication.sid as string;
  }

  async disconnect(): Promise<void> {
    clearInterval(this.frames);
    clearInterval(this.tone);
    if (!this.disconnected) await this.room.disconnect().catch(() => undefined);
  }
}

/**
 * The usual suite against the real SFU: registers hooks that start the stack, open the room store on its own
 * connection and disconnect every participant after each test, and connects demo LMS users to LiveKit,
 * waiting until the SFU lists them. Students from `newStudent` are distinct learners named `studentPrefix-…`.
 */
export function useSfuFixture(studentPrefix: string) {
  let env: TestEnvironment | undefined;
  let gateway: LiveKitGateway | undefined;
  let connection: Connection | undefined;
  let store: RoomStore | undefined;
  let audit: AuditStore | undefined;
  const connected: TestParticipant[] = [];
  let users = 0;

  before(async () => {
    env = await useTestEnvironment();
    gateway = testGateway(env);
    connection = await mongoose.createConnection(env.stack.mongoUri, { autoIndex: false }).asPromise();
    store = createRoomStore(connection);
    audit = createAuditStore(connection);
  });
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((p) => p.disconnect()));
  });
  // No rtc-node dispose() here: it tears down the native client for every later test file in this process.
  after(async () => {
    await connection?.close();
  });

  const started = (): [TestEnvironment, LiveKitGateway, RoomStore] => {
    if (!env || !gateway || !store) throw new Error('useSfuFixture: the suite has not started');
    return [env, gateway, store];
  };

  const launch = (role: DemoRole, id?: string, user?: string) =>
    LaunchedUser.launch(started()[0].tool.url, role, id, user);
  /** A distinct demo learner (the demo makes up unknown user ids). */
  const newStudent = (id: string) => launch('student', id, `${studentPrefix}-${process.pid}-${++users}`);

  /** The participant as the SFU lists it, or undefined while it is not (yet, or any more) in the room. */
  const onSfu = async (grant: Grant): Promise<ParticipantInfo | undefined> => {
    const [, liveKit] = started();
    return (await liveKit.listParticipants(grant.room).catch(() => [])).find((p) => p.identity === grant.identity);
  };
  /** The same, asserting that the participant is there. */
  const sfu = async (grant: Grant): Promise<ParticipantInfo> => {
    const p = await onSfu(grant);
    assert.ok(p, `${grant.identity} is connected`);
    return p;
  };
  /** Connects with `grant` (disconnected after the test) and waits until the SFU lists the participant. */
  const connectWith = async (grant: Grant): Promise<TestParticipant> => {
    const p = await TestParticipant.connect(grant);
    connected.push(p);
    await waitUntil(async () => !!(await onSfu(grant)), 10_000, `${grant.identity} on the SFU`);
    return p;
  };
  /** Connects `user` with a fresh join grant. */
  const connect = async (user: LaunchedUser): Promise<{ p: TestParticipant; grant: Grant }> => {
    const grant = await user.joinGrant();
    return { p: await connectWith(grant), grant };
  };
  /** A participant the test connected itself (say, with a token the SFU may turn away): disconnected after it too. */
  const disconnectAfterTest = (p: TestParticipant) => {
    connected.push(p);
  };

  return {
    get env(): TestEnvironment {
      return started()[0];
    },
    get gateway(): LiveKitGateway {
      return started()[1];
    },
    get store(): RoomStore {
      return started()[2];
    },
    get audit(): AuditStore {
      if (!audit) throw new Error('useSfuFixture: the suite has not started');
      return audit;
    },
    launch,
    newStudent,
    connect,
    connectWith,
    disconnectAfterTest,
    onSfu,
    sfu,
  };
}

/**
 * Polls `check` until it returns true; after `timeoutMs` fails naming `what` (a function for a message
 * built from what was seen by then). A check that throws fails the wait at once, unless `retryErrors`:
 * a browser page's locators throw while the page is between states the test is waiting through.
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string | (() => string),
  { retryErrors = false }: { retryErrors?: boolean } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const passed = retryErrors
      ? await Promise.resolve()
          .then(check)
          .catch(() => false)
      : await check();
    if (passed) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]);
}
