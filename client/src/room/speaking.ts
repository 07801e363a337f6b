import { Track } from 'livekit-client';
import type { ParticipantModel } from './participant-model';
import { isSpeakingAt, rms, SPEAKING_LEVEL } from './speaking-level';

/** How often each meter reads its track's level. */
const SAMPLE_MS = 100;
/**
 * The meter's AudioContext opens this long after the first track to meter (a microphone published at
 * join): opening one costs the main thread 10-20 ms, which would otherwise fall between the join and the
 * first remote frame. The ring lights that much later at join, never later afterwards.
 */
const OPEN_AFTER_MS = 1_000;

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
  private opening: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** The tracks of the last watch(), metered once the context is open. */
  private watched: ReadonlyMap<string, MediaStreamTrack> = new Map();
  private readonly meters = new Map<string, Meter>();
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `onChange` runs when someone starts or stops speaking. */
  constructor(private readonly onChange: () => void) {}

  /** Meters exactly these tracks (by identity); tracks gone or replaced are let go. */
  watch(tracks: ReadonlyMap<string, MediaStreamTrack>): void {
    this.watched = tracks;
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
    clearTimeout(this.opening);
    this.closed = true;
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
  }

  /** The context, once open; the first call schedules its opening (OPEN_AFTER_MS). */
  private audioContext(): AudioContext | undefined {
    if (this.context || this.opening || this.closed || typeof AudioContext === 'undefined') return this.context;
    this.opening = setTimeout(() => {
      if (this.closed) return;
      this.context = new AudioContext();
      // Opened after the Join click, so browsers let it run; a suspended one is resumed at the next sample.
      void this.context.resume().catch(() => undefined);
      this.watch(this.watched);
    }, OPEN_AFTER_MS);
    return undefined;
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

/**
 * The participants with this browser's own speaking meter folded in: it meters each microphone that is
 * on, and a person speaks while the SFU or the meter says so.
 */
export function withMeter(participants: ParticipantModel[], meter: SpeakingMeter): ParticipantModel[] {
  const tracks = new Map<string, MediaStreamTrack>();
  for (const p of participants) {
    const track = p.micOn
      ? p.participant.getTrackPublication(Track.Source.Microphone)?.track?.mediaStreamTrack
      : undefined;
    if (track) tracks.set(p.identity, track);
  }
  meter.watch(tracks);
  return participants.map((p) => {
    const heard = meter.speaking(p.identity);
    if (!heard) return p;
    return { ...p, speaking: true, lastSpokeAt: Math.max(p.lastSpokeAt, meter.lastLoudAt(p.identity)) };
  });
}
