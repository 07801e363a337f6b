/**
 * Reads a microphone track's loudness with a Web Audio AnalyserNode. `onLevel` gets 0..1 about ten times
 * a second (a timer, not requestAnimationFrame, so a hidden iframe still updates). Returns a stop function
 * that closes the AudioContext; the track itself stays with its owner.
 */
export function watchLevel(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
  const Context =
    window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Context) return () => undefined;
  const context = new Context();
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);

  // Browsers start an AudioContext suspended until the page gets a user gesture: resume on the first one.
  const resume = () => void context.resume().catch(() => undefined);
  resume();
  window.addEventListener('pointerdown', resume, { once: true, capture: true });
  window.addEventListener('keydown', resume, { once: true, capture: true });

  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    const rms = Math.sqrt(sum / samples.length);
    // -60 dBFS (silence) .. 0 dBFS mapped to 0..1.
    const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
    onLevel(Math.max(0, Math.min(1, (db + 60) / 60)));
  }, 100);

  return () => {
    clearInterval(timer);
    window.removeEventListener('pointerdown', resume, { capture: true });
    window.removeEventListener('keydown', resume, { capture: true });
    source.disconnect();
    void context.close().catch(() => undefined);
  };
}
