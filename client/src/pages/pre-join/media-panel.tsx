import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../i18n';
import { watchLevel } from '../../media/level-meter';
import { describeProblem, type DeviceKind, type MediaProblem } from '../../media/media-errors';
import { deviceIdOf, type PreviewState } from '../../media/use-media-preview';
import './media-panel.css';

export interface MediaChoice {
  microphone: boolean;
  camera: boolean;
  microphoneId?: string | undefined;
  cameraId?: string | undefined;
}

interface Props {
  preview: PreviewState;
  choice: MediaChoice;
  onChange: (choice: MediaChoice) => void;
  /** The class is not audio-only and the role may publish a camera. */
  cameraAllowed: boolean;
  /** Continues this launch in a top-level window; absent when that cannot help. */
  onOpenInNewWindow?: (() => void) | undefined;
}

/** Problems a top-level window may solve: an LMS frame without camera/microphone in its Permissions Policy. */
const FIXABLE_IN_NEW_WINDOW: readonly MediaProblem[] = ['policy', 'blocked'];

/** Camera preview, microphone level, device pickers and the "when I join" switches. */
export function MediaPanel({ preview, choice, onChange, cameraAllowed, onOpenInNewWindow }: Props) {
  const { problems } = preview;
  const sentences = problemSentences(problems);
  const fixable = Object.values(problems).some((p) => FIXABLE_IN_NEW_WINDOW.includes(p));
  const set = (patch: Partial<MediaChoice>) => onChange({ ...choice, ...patch });

  return (
    <section class="prejoin-media" aria-labelledby="prejoin-media-heading">
      <h2 id="prejoin-media-heading">{t('media.heading')}</h2>
      {cameraAllowed && (
        <div class="preview" data-state={preview.video ? 'on' : 'off'}>
          {preview.video ? (
            <PreviewVideo track={preview.video} />
          ) : (
            <p class="preview-off">
              {t(
                preview.pending
                  ? 'media.starting'
                  : problems.camera
                    ? 'media.cameraUnavailable'
                    : choice.camera
                      ? 'media.noPreview'
                      : 'media.cameraOff',
              )}
            </p>
          )}
        </div>
      )}
      {sentences.length > 0 && (
        <div class="notice media-problem" role="alert" data-problem={Object.values(problems).join(' ')}>
          {sentences.map((s) => (
            <p key={s}>{s}</p>
          ))}
          <p class="hint">{t(fixable && onOpenInNewWindow ? 'media.useNewWindow' : 'media.joinWithout')}</p>
          {fixable && onOpenInNewWindow && (
            <button type="button" class="secondary" onClick={onOpenInNewWindow}>
              {t('media.openInNewWindow')}
            </button>
          )}
        </div>
      )}
      <fieldset class="group">
        <legend>{t('media.whenIJoin')}</legend>
        <div class="field check">
          <input
            id="join-microphone"
            type="checkbox"
            checked={choice.microphone}
            onChange={(e) => set({ microphone: e.currentTarget.checked })}
          />
          <label for="join-microphone">{t('media.microphoneOn')}</label>
        </div>
        {cameraAllowed && (
          <div class="field check">
            <input
              id="join-camera"
              type="checkbox"
              checked={choice.camera}
              onChange={(e) => set({ camera: e.currentTarget.checked })}
            />
            <label for="join-camera">{t('media.cameraOn')}</label>
          </div>
        )}
      </fieldset>
      <div class="row devices">
        {cameraAllowed && !problems.camera && (
          <DeviceSelect
            kind="camera"
            devices={preview.devices.camera}
            value={choice.cameraId ?? deviceIdOf(preview.video)}
            onSelect={(cameraId) => set({ cameraId })}
          />
        )}
        {!problems.microphone && (
          <DeviceSelect
            kind="microphone"
            devices={preview.devices.microphone}
            value={choice.microphoneId ?? deviceIdOf(preview.audio)}
            onSelect={(microphoneId) => set({ microphoneId })}
          />
        )}
      </div>
      {preview.audio && <LevelMeter track={preview.audio} />}
    </section>
  );
}

/** "Your browser blocked the camera and microphone." or one sentence per device when they differ. */
function problemSentences(problems: Partial<Record<DeviceKind, MediaProblem>>): string[] {
  const { camera, microphone } = problems;
  if (camera && camera === microphone) return [describeProblem(camera, 'both')];
  return [
    ...(camera ? [describeProblem(camera, 'camera')] : []),
    ...(microphone ? [describeProblem(microphone, 'microphone')] : []),
  ];
}

function PreviewVideo({ track }: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = new MediaStream([track]);
    void video.play().catch(() => undefined);
    return () => {
      video.srcObject = null;
    };
  }, [track]);
  return <video ref={ref} class="preview-video" muted autoPlay playsInline aria-label={t('media.preview')} />;
}

const LABELS = { camera: 'media.camera', microphone: 'media.microphone' } as const;

function DeviceSelect(props: {
  kind: DeviceKind;
  devices: MediaDeviceInfo[];
  value: string | undefined;
  onSelect: (id: string) => void;
}) {
  const { kind, devices, value, onSelect } = props;
  if (devices.length === 0) return null;
  const id = `device-${kind}`;
  return (
    <div class="field">
      <label for={id}>{t(LABELS[kind])}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onSelect(e.currentTarget.value)}>
        {devices.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || t('media.numbered', { device: t(LABELS[kind]), number: i + 1 })}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The microphone's live level, written straight to the <meter> so the page does not re-render 10×/s. */
function LevelMeter({ track }: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLMeterElement>(null);
  useEffect(
    () =>
      watchLevel(track, (level) => {
        if (ref.current) ref.current.value = level;
      }),
    [track],
  );
  return (
    <div class="field mic-level">
      <label for="mic-level">{t('media.level')}</label>
      <meter id="mic-level" ref={ref} min={0} max={1} low={0.15} high={0.85} optimum={0.5} />
    </div>
  );
}
