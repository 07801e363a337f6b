/**
 * The sound of a knock: two short soft notes made with Web Audio, so there is no file to fetch and nothing
 * plays before the page was used (a teacher has clicked Join by then, which browsers require for sound).
 * Whether it plays is the teacher's choice, kept in this browser.
 */
const KEY = 'live-class.knock-sound';
const NOTES_HZ = [660, 880];
let context: AudioContext | undefined;

export function knockSoundOn(): boolean {
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setKnockSound(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // Storage refused (a strict privacy mode): the choice lasts for this page only.
  }
}

export function playKnock(): void {
  if (!knockSoundOn()) return;
  try {
    const ctx = (context ??= new AudioContext());
    if (ctx.state === 'suspended') void ctx.resume();
    const start = ctx.currentTime;
    NOTES_HZ.forEach((hz, i) => {
      const note = ctx.createOscillator();
      const gain = ctx.createGain();
      const at = start + i * 0.16;
      note.type = 'sine';
      note.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.12, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.3);
      note.connect(gain).connect(ctx.destination);
      note.start(at);
      note.stop(at + 0.32);
    });
  } catch {
    // No Web Audio here: the toast and the waiting badge still tell.
  }
}
