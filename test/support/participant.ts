import {
  AudioSource,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
  type RemoteParticipant,
} from '@livekit/rtc-node';

/**
 * A real LiveKit participant (the native client SDK, no browser) for integration tests: it connects with
 * a token from the tool and publishes an actual audio track, so the SFU's own enforcement is what a
 * test observes.
 */
export class TestParticipant {
  readonly room = new Room();
  readonly data: Array<{ topic?: string; payload: unknown; from?: string }> = [];
  disconnected = false;
  private frames: ReturnType<typeof setInterval> | undefined;

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
  }

  static async connect(grant: { url: string; token: string }): Promise<TestParticipant> {
    const p = new TestParticipant();
    await p.room.connect(grant.url, grant.token, { autoSubscribe: false, dynacast: false });
    return p;
  }

  /** Publishes a silent microphone track; rejects when the SFU does not allow the source. */
  async publishMicrophone(): Promise<string> {
    const source = new AudioSource(48_000, 1);
    const track = LocalAudioTrack.createAudioTrack('microphone', source);
    return this.publish(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
  }

  /**
   * Publishes a small camera track fed 10 frames a second (a flat colour per participant), so a browser
   * that subscribes receives real video bytes and one that the SFU paused receives none.
   */
  async publishCamera(): Promise<string> {
    const [width, height] = [160, 120];
    const source = new VideoSource(width, height);
    const track = LocalVideoTrack.createVideoTrack('camera', source);
    const pixels = new Uint8Array(width * height * 4).fill(Math.floor(Math.random() * 200) + 30);
    this.frames = setInterval(
      () => source.captureFrame(new VideoFrame(pixels, width, height, VideoBufferType.RGBA)),
      100,
    );
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
    if (!this.disconnected) await this.room.disconnect().catch(() => undefined);
  }
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
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
