import assert from 'node:assert/strict';
import { HOLD_MS, isSpeakingAt, rms, SPEAKING_LEVEL } from '../../client/src/room/speaking-level.js';

describe('speaking meter (client)', () => {
  const tone = (amplitude: number) => Float32Array.from({ length: 512 }, (_, i) => amplitude * Math.sin(i / 4));

  it('hears a voice or a fake microphone tone, not room noise or silence', () => {
    assert.ok(rms(tone(0.2)) > SPEAKING_LEVEL, 'speech');
    assert.ok(rms(tone(0.03)) > SPEAKING_LEVEL, 'a quiet voice');
    assert.ok(rms(tone(0.005)) < SPEAKING_LEVEL, 'noise');
    assert.equal(rms(new Float32Array(512)), 0);
    assert.equal(rms([]), 0);
  });

  it('keeps the ring on between words, off once it has been quiet for a moment', () => {
    const now = 10_000;
    assert.equal(isSpeakingAt(now - 100, now), true);
    assert.equal(isSpeakingAt(now - HOLD_MS + 1, now), true);
    assert.equal(isSpeakingAt(now - HOLD_MS, now), false);
    assert.equal(isSpeakingAt(0, now), false, 'never heard');
  });
});
