import { useEffect, useRef } from 'preact/hooks';
import { ROLE_LABEL, type ParticipantModel } from './participant-model';

/** One person: video (or their initials), name, role, and mic, hand and speaking state. */
export function ParticipantTile({ model }: { model: ParticipantModel }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  const { videoTrack, audioTrack } = model;

  useEffect(() => {
    const el = videoRef.current;
    if (!videoTrack || !el) return;
    videoTrack.attach(el);
    return () => void videoTrack.detach(el);
  }, [videoTrack]);

  useEffect(() => {
    const el = audioRef.current;
    if (!audioTrack || !el) return;
    audioTrack.attach(el);
    return () => void audioTrack.detach(el);
  }, [audioTrack]);

  const label = `${model.name}${model.isLocal ? ' (you)' : ''}`;
  const states = [
    model.micOn ? undefined : 'microphone off',
    model.handRaised ? 'hand raised' : undefined,
    model.speaking ? 'speaking' : undefined,
  ].filter(Boolean);
  return (
    <li
      class={`tile${model.speaking ? ' speaking' : ''}${model.handRaised ? ' hand' : ''}`}
      data-identity={model.identity}
      data-local={model.isLocal ? 'true' : undefined}
      aria-label={[label, ROLE_LABEL[model.role], ...states].join(', ')}
    >
      {videoTrack ? (
        <video ref={videoRef} autoPlay playsInline muted aria-hidden="true" />
      ) : (
        <div class="avatar" aria-hidden="true">
          {initials(model.name)}
        </div>
      )}
      {audioTrack && <audio ref={audioRef} autoPlay />}
      <div class="tile-caption" aria-hidden="true">
        <span class="tile-name">{label}</span>
        <span class={`badge role-${model.role}`}>{ROLE_LABEL[model.role]}</span>
        {!model.micOn && (
          <span class="icon" title="Microphone off" data-state="mic-off">
            <Icon path={MIC_OFF} />
          </span>
        )}
        {model.handRaised && (
          <span class="icon" title="Hand raised" data-state="hand-raised">
            <Icon path={HAND} />
          </span>
        )}
      </div>
    </li>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}

// Material Icons "mic_off" and "pan_tool" (Apache-2.0): emoji fonts are missing on many machines.
const MIC_OFF =
  'M19 11h-1.7c0 .74-.16 1.43-.43 2.05l1.23 1.23c.56-.98.9-2.09.9-3.28zm-4.02.17c0-.06.02-.11.02-.17V5c0-1.66-1.34-3-3-3S9 3.34 9 5v.18l5.98 5.99zM4.27 3L3 4.27l6.01 6.01V11c0 1.66 1.33 3 2.99 3 .22 0 .44-.03.65-.08l1.66 1.66c-.71.33-1.5.52-2.31.52-2.76 0-5.3-2.1-5.3-5.1H5c0 3.41 2.72 6.23 6 6.72V21h2v-3.28c.91-.13 1.77-.45 2.54-.9L19.73 21 21 19.73 4.27 3z';
const HAND =
  'M23 5.5V20c0 2.2-1.8 4-4 4h-7.3c-1.08 0-2.1-.43-2.85-1.19L1 14.83s1.26-1.23 1.3-1.25c.22-.19.49-.29.79-.29.22 0 .42.06.6.16.04.01 4.31 2.46 4.31 2.46V4c0-.83.67-1.5 1.5-1.5S11 3.17 11 4v7h1V1.5c0-.83.67-1.5 1.5-1.5S15 .67 15 1.5V11h1V2.5c0-.83.67-1.5 1.5-1.5s1.5.67 1.5 1.5V11h1V5.5c0-.83.67-1.5 1.5-1.5s1.5.67 1.5 1.5z';

function Icon({ path }: { path: string }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" fill="currentColor" aria-hidden="true" focusable="false">
      <path d={path} />
    </svg>
  );
}
