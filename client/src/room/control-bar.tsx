import { useState } from 'preact/hooks';
import type { ActivitySettings, Role } from '../api/contract';
import { t, type MessageKey } from '../i18n';
import { DeviceSettings } from './device-settings';
import type { Layout } from './layout';
import type { ParticipantModel } from './participant-model';
import { mayPublish, type RoomConnection, type Source } from './room-connection';

export type SidePanel = 'people' | 'chat' | 'attendance';

interface Props {
  conn: RoomConnection;
  me: ParticipantModel;
  role: Role;
  settings: ActivitySettings | undefined;
  audioBlocked: boolean;
  layout: Layout;
  onLayout: (layout: Layout) => void;
  panel: SidePanel | undefined;
  onPanel: (panel: SidePanel) => void;
  unreadChat: number;
  /** The own place in the raised-hands queue (1 = next), when the hand is up. */
  handPosition: number | undefined;
}

const SOURCE_TEXT: Record<Source, { on: MessageKey; off: MessageKey; failed: MessageKey }> = {
  microphone: { on: 'controls.mic.on', off: 'controls.mic.off', failed: 'controls.mic.failed' },
  camera: { on: 'controls.camera.on', off: 'controls.camera.off', failed: 'controls.camera.failed' },
  screen_share: { on: 'controls.screen.on', off: 'controls.screen.off', failed: 'controls.screen.failed' },
};

const canShareScreen = () => typeof navigator.mediaDevices?.getDisplayMedia === 'function';

/**
 * Mic, camera, screen, hand, layout, people, chat and leave. A source the role never gets is not shown; a
 * source the teacher took away stays visible, marked "muted by the teacher", and cannot be turned on.
 */
export function ControlBar(props: Props) {
  const { conn, me, role, settings, audioBlocked, layout, panel, unreadChat, handPosition } = props;
  const [pending, setPending] = useState<string>();
  const [error, setError] = useState<string>();
  const [devicesOpen, setDevicesOpen] = useState(false);

  const run = async (key: string, action: () => Promise<unknown>, failure: string) => {
    if (pending) return;
    setPending(key);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      // Closing the browser's screen picker is a choice, not a failure.
      if (!(err instanceof DOMException && err.name === 'NotAllowedError' && key === 'screen_share')) setError(failure);
    } finally {
      setPending(undefined);
    }
  };

  const webinarAudience =
    role === 'participant' && settings?.publishers === 'instructors' && !me.participant.permissions?.canPublish;
  const expects = (source: Source) =>
    role !== 'observer' && !webinarAudience && !(source === 'camera' && settings?.audioOnly);

  const sourceButton = (source: Source, on: boolean, blocked: boolean) => {
    if (blocked) {
      return (
        <button
          type="button"
          class="control blocked"
          data-control={source}
          data-blocked="true"
          aria-disabled="true"
          aria-describedby={`${source}-blocked-note`}
        >
          {t(source === 'camera' ? 'controls.camera.blocked' : 'controls.mic.blocked')}
        </button>
      );
    }
    const text = SOURCE_TEXT[source];
    return (
      <button
        type="button"
        class="control"
        data-control={source}
        aria-pressed={on ? 'true' : 'false'}
        aria-disabled={pending ? 'true' : undefined}
        onClick={() => void run(source, () => conn.toggle(source), t(text.failed))}
      >
        {t(on ? text.off : text.on)}
      </button>
    );
  };

  const sharing = conn.isEnabled('screen_share');
  const panelButton = (which: SidePanel, label: string) => (
    <button
      type="button"
      class="control"
      data-control={which}
      aria-pressed={panel === which ? 'true' : 'false'}
      onClick={() => props.onPanel(which)}
    >
      {label}
    </button>
  );

  return (
    <div class="control-bar" role="toolbar" aria-label={t('controls.label')}>
      {expects('microphone') && sourceButton('microphone', me.micOn, me.micBlocked)}
      {expects('camera') && sourceButton('camera', me.cameraOn, me.cameraBlocked)}
      {role === 'instructor' && mayPublish(me.participant, 'screen_share') && canShareScreen() && (
        <button
          type="button"
          class="control"
          data-control="screen"
          aria-pressed={sharing ? 'true' : 'false'}
          aria-disabled={pending ? 'true' : undefined}
          onClick={() =>
            void run('screen_share', () => conn.toggle('screen_share'), t(SOURCE_TEXT.screen_share.failed))
          }
        >
          {t(sharing ? SOURCE_TEXT.screen_share.off : SOURCE_TEXT.screen_share.on)}
        </button>
      )}
      {role !== 'observer' && (
        <button
          type="button"
          class="control"
          data-control="hand"
          aria-pressed={me.handRaised ? 'true' : 'false'}
          aria-disabled={pending ? 'true' : undefined}
          onClick={() => void run('hand', () => conn.setHandRaised(!me.handRaised), t('controls.hand.failed'))}
        >
          {t(me.handRaised ? 'controls.hand.lower' : 'controls.hand.raise')}
        </button>
      )}
      <button
        type="button"
        class="control secondary"
        data-control="layout"
        onClick={() => props.onLayout(layout === 'gallery' ? 'speaker' : 'gallery')}
      >
        {t(layout === 'gallery' ? 'controls.layout.speaker' : 'controls.layout.gallery')}
      </button>
      <button
        type="button"
        class="control secondary"
        data-control="devices"
        aria-expanded={devicesOpen ? 'true' : 'false'}
        aria-controls="device-settings"
        onClick={() => setDevicesOpen((open) => !open)}
      >
        {t('controls.devices')}
      </button>
      {panelButton('people', t('controls.people'))}
      {panelButton('chat', unreadChat > 0 ? t('controls.chat.unread', { count: unreadChat }) : t('controls.chat'))}
      {panelButton('attendance', t(role === 'instructor' ? 'views.attendance' : 'views.myAttendance'))}
      {audioBlocked && (
        <button type="button" class="control" onClick={() => void conn.startAudio()}>
          {t('controls.playAudio')}
        </button>
      )}
      <button type="button" class="control leave" onClick={() => void conn.leave()}>
        {t('controls.leave')}
      </button>
      {devicesOpen && (
        <div id="device-settings" class="device-settings-wrap">
          <DeviceSettings
            conn={conn}
            kinds={[
              ...(expects('camera') ? (['videoinput'] as const) : []),
              ...(expects('microphone') ? (['audioinput'] as const) : []),
              'audiooutput' as const,
            ]}
          />
        </div>
      )}
      {me.handRaised && handPosition !== undefined && role !== 'instructor' && (
        <p class="hint">{t('controls.hand.position', { position: handPosition })}</p>
      )}
      {me.micBlocked && expects('microphone') && (
        <p id="microphone-blocked-note" class="hint">
          {t('controls.mic.blockedNote')}
        </p>
      )}
      {me.cameraBlocked && expects('camera') && (
        <p id="camera-blocked-note" class="hint">
          {t('controls.camera.blockedNote')}
        </p>
      )}
      {webinarAudience && <p class="hint">{t('controls.audience')}</p>}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
