/**
 * When a level means speech (DOM-free, for mocha); the meter is in speaking.ts.
 *
 * Who is speaking, measured in this browser from the audio itself. LiveKit's own speaker detection (on
 * the SFU) wants sustained speech over a level and misses short or quiet sounds (Chromium's fake
 * microphone never lights it); this meter reads each audio track's level ten times a second, so the ring
 * follows what people hear. A person counts as speaking while SFU or meter says so.
 */

/** RMS of the waveform (−1…1) above which a sample is sound, not room noise (≈ −40 dBFS). */
export const SPEAKING_LEVEL = 0.01;
/** The ring stays on this long after the last loud sample, so it does not flicker between words. */
export const HOLD_MS = 800;

/** Root mean square of a block of samples. */
export function rms(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i += 1) sum += (samples[i] as number) ** 2;
  return samples.length > 0 ? Math.sqrt(sum / samples.length) : 0;
}

/** Speaking now, given when the track was last loud. */
export const isSpeakingAt = (lastLoudAt: number, now: number): boolean => lastLoudAt > 0 && now - lastLoudAt < HOLD_MS;
