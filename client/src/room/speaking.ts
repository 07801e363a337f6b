import { isSpeakingAt, rms, SPEAKING_LEVEL } from './speaking-level';

/** How often each meter reads its track's level. */
const SAMPLE_MS = 100;

interface Meter {
  track: MediaStreamTrack;
  source: MediaStreamAudioSourceNode;
  analyser: AnalyserNode;
  samples: Float32Array<ArrayBuffer>;
  lastLoudAt: number;
  speaking: boolean;
}

/**
 * Meters each microphone in this browser (see speaking-level.ts for why): an AnalyserNode per track, read
 * ten times a second.
 */
export class SpeakingMeter {
  private context: AudioContext | undefined;
  private readonly meters = new Map<string, Meter>();
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `onChange` runs when someone starts or stops speaking. */
  constructor(private readonly onChange: () => void) {}

  /** Meters exactly these tracks (by identity); tracks gone or replaced are let go. */
  watch(tracks: ReadonlyMap<string, MediaStreamTrack>): void {
    for (const [identity, meter] of this.meters) {
      if (tracks.get(identity) !== meter.track) this.drop(identity);
    }
    for (const [identity, track] of tracks) {
      if (this.meters.has(identity) || track.readyState === 'ended') continue;
      const context = this.audioContext();
      if (!context) return;
      const source = context.createMediaStreamSource(new MediaStream([track]));
      const analyser = context.createAnalyser();
      analyser.fftSize = 512;
      source.connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      this.meters.set(identity, { track, source, analyser, samples, lastLoudAt: 0, speaking: false });
    }
    if (this.meters.size > 0 && !this.timer) this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    if (this.meters.size === 0) this.stopTimer();
  }

  speaking(identity: string): boolean {
    return this.meters.get(identity)?.speaking ?? false;
  }

  /** When the meter last heard this person (ms since the epoch; 0 when never). */
  lastLoudAt(identity: string): number {
    return this.meters.get(identity)?.lastLoudAt ?? 0;
  }

  close(): void {
    for (const identity of [...this.meters.keys()]) this.drop(identity);
    this.stopTimer();
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
  }

  private audioContext(): AudioContext | undefined {
    if (this.context) return this.context;
    if (typeof AudioContext === 'undefined') return undefined;
    this.context = new AudioContext();
    // Created after the Join click, so browsers let it run; a suspended one is resumed at the next sample.
    void this.context.resume().catch(() => undefined);
    return this.context;
  }

  private sample(): void {
    if (this.context?.state === 'suspended') void this.context.resume().catch(() => undefined);
    const now = Date.now();
    let changed = false;
    for (const meter of this.meters.values()) {
      meter.analyser.getFloatTimeDomainData(meter.samples);
      if (rms(meter.samples) > SPEAKING_LEVEL) meter.lastLoudAt = now;
      const speaking = isSpeakingAt(meter.lastLoudAt, now);
      if (speaking !== meter.speaking) {
        meter.speaking = speaking;
        changed = true;
      }
    }
    if (changed) this.onChange();
  }

  private drop(identity: string): void {
    const meter = this.meters.get(identity);
    if (!meter) return;
    meter.source.disconnect();
    this.meters.delete(identity);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
