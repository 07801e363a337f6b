import { useLayoutEffect, useRef } from 'preact/hooks';
import type { AudioTrack, VideoTrack } from 'livekit-client';
import { t } from '../i18n';
import { Icon, QualityBars } from './icons';
import { roleLabel, type ParticipantModel } from './participant-model';
import { REACTIONS } from './reaction-model';

/**
 * Attaches a track to the element while both exist; attached video is what adaptive stream subscribes to.
 * Attached as the element is committed, not after the next paint: the SFU starts sending a frame sooner.
 */
export function useAttach(track: VideoTrack | AudioTrack | undefined) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!track || !el) return;
    track.attach(el);
    return () => void track.detach(el);
  }, [track]);
  return ref;
}

/** The words for a participant's state, shared by tiles and the people list (which badges the hand itself). */
export function describeState(model: ParticipantModel, { hand = true } = {}): string[] {
  return [
    model.micOn ? undefined : t('room.state.micOff'),
    hand && model.handRaised ? t('room.state.handRaised') : undefined,
    model.speaking ? t('room.state.speaking') : undefined,
    model.quality === 'poor' || model.quality === 'lost' ? t(`room.quality.${model.quality}`) : undefined,
  ].filter((s): s is string => s !== undefined);
}

export const displayName = (model: ParticipantModel): string =>
  model.isLocal ? t('room.you', { name: model.name }) : model.name;

/** One person: video (or their initials), name, role, and mic, hand, speaking and connection state. */
export function ParticipantTile({
  model,
  featured = false,
  width,
}: {
  model: ParticipantModel;
  featured?: boolean;
  /** The cell's width in the gallery (px), which sizes it with the row's other tiles. */
  width?: number;
}) {
  const videoRef = useAttach(model.videoTrack);
  const label = displayName(model);
  return (
    <li
      class={`tile${model.speaking ? ' speaking' : ''}${model.handRaised ? ' hand' : ''}${featured ? ' featured' : ''}`}
      data-identity={model.identity}
      data-local={model.isLocal ? 'true' : undefined}
      aria-label={[label, roleLabel(model.role), ...describeState(model)].join(', ')}
      style={width ? { width: `${width}px` } : undefined}
    >
      {model.videoTrack ? (
        <video ref={videoRef} autoPlay playsInline muted aria-hidden="true" />
      ) : (
        <div class="avatar" aria-hidden="true">
          {initials(model.name)}
        </div>
      )}
      {model.reaction && (
        <span class="reaction" aria-hidden="true" data-reaction={model.reaction}>
          {REACTIONS[model.reaction].emoji}
        </span>
      )}
      <div class="tile-caption" aria-hidden="true">
        <span class="tile-name">{label}</span>
        <span class={`badge role-${model.role}`}>{roleLabel(model.role)}</span>
        {!model.micOn && (
          <span class="icon" title={t('room.state.micOff')} data-state="mic-off">
            <Icon name="micOff" />
          </span>
        )}
        {model.handRaised && (
          <span class="icon" title={t('room.state.handRaised')} data-state="hand-raised">
            <Icon name="hand" />
          </span>
        )}
        <QualityBars quality={model.quality} label={t(`room.quality.${model.quality}`)} />
      </div>
    </li>
  );
}

/** Someone's shared screen: contained (not cropped), with who is sharing. */
export function ScreenTile({ model }: { model: ParticipantModel }) {
  const videoRef = useAttach(model.screenTrack);
  const label = model.isLocal ? t('room.screen.yours') : t('room.screen.of', { name: model.name });
  return (
    <div class="tile screen" data-screen={model.identity} role="img" aria-label={label}>
      <video ref={videoRef} autoPlay playsInline muted aria-hidden="true" />
      <div class="tile-caption" aria-hidden="true">
        <Icon name="screen" />
        <span class="tile-name">{label}</span>
      </div>
    </div>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}
