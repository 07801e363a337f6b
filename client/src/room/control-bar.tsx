import { useEffect, useRef, useState } from 'preact/hooks';
import type { ActivitySettings, Role } from '../api/contract';
import { t, type MessageKey } from '../i18n';
import { chatBadgeText, peopleBadgeText, type BadgeCounts } from './badges';
import { DeviceSettings } from './device-settings';
import { DevicesOverlay } from './devices-overlay';
import { Icon, type ICONS } from './icons';
import type { Layout, SelfView } from './layout';
import { MenuButton, type MenuEntry } from './menu-button';
import type { ParticipantModel } from './participant-model';
import { REACTIONS, type ReactionKey } from './reaction-model';
import { mayPublish, type Source } from './local-media';
import type { RoomConnection } from './room-connection';

export type SidePanel = 'people' | 'chat' | 'attendance' | 'polls';

interface Props {
  conn: RoomConnection;
  me: ParticipantModel;
  role: Role;
  settings: ActivitySettings | undefined;
  audioBlocked: boolean;
  layout: Layout;
  onLayout: (layout: Layout) => void;
  /** The leader locked the class layout: no personal view. */
  layoutLocked?: boolean;
  selfView: SelfView;
  onSelfView: (view: SelfView) => void;
  panel: SidePanel | undefined;
  onPanel: (panel: SidePanel) => void;
  badges: BadgeCounts;
  /** 1 while an open poll waits that the Polls panel has not shown (usePolls). */
  pollsBadge?: number;
  /** The own place in the raised-hands queue (1 = next), when the hand is up. */
  handPosition: number | undefined;
  /** Leave pressed: a teacher is asked whether to end the class for everyone; others just leave. */
  onLeave: () => void;
  /** Sends a reaction (everyone sees it on your tile for a few seconds). */
  onReact: (key: ReactionKey) => Promise<void>;
  /** Teachers: Record / Stop recording and Go live / Stop stream in More (recording/leader-recording.ts). */
  recordingEntries?: MenuEntry[];
}

const SOURCE_TEXT: Record<Source, { on: MessageKey; off: MessageKey; failed: MessageKey }> = {
  microphone: { on: 'controls.mic.on', off: 'controls.mic.off', failed: 'controls.mic.failed' },
  camera: { on: 'controls.camera.on', off: 'controls.camera.off', failed: 'controls.camera.failed' },
  screen_share: { on: 'controls.screen.on', off: 'controls.screen.off', failed: 'controls.screen.failed' },
};

const canShareScreen = () => typeof navigator.mediaDevices?.getDisplayMedia === 'function';

/** One control as the bar shows it (icon and short label) and as the More menu lists it (its full name). */
interface Control {
  key: string;
  icon: keyof typeof ICONS;
  short: string;
  /** The accessible name and the menu's text: it starts with the short label (WCAG 2.5.3, label in name). */
  name: string;
  /** The tooltip: what pressing it does. */
  hint: string;
  pressed?: boolean;
  badge?: number;
  /** Says what the badge counts, for screen readers. */
  badgeText?: string;
  blocked?: boolean;
  busy?: boolean;
  onSelect: () => void;
}

/** Width of one bar button (icon over a short label) and of Leave, gaps included (room.css), to know how many fit before More. */
const SLOTS = { wide: { slot: 72, leave: 96 }, narrow: { slot: 62, leave: 84 } };
/** Below this bar width the buttons are narrower (a phone). */
const NARROW_BAR = 480;

/**
 * The bar's width, from a ResizeObserver alone: its first answer comes after the browser's own layout and
 * before that frame is painted, where reading clientWidth in a layout effect would force a layout of the
 * whole room in the middle of the task (the Join click's, which the SFU's answer then waits behind).
 */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.round(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/**
 * One bar at the bottom of the room that never scrolls away: mic, camera, screen, hand, chat and people
 * as icons with short labels, in that order of importance; what does not fit goes into More, with the
 * layout, self view, devices and attendance. A source the role never gets is not shown; one the teacher
 * took away stays, marked "muted by the teacher", and cannot be turned on.
 */
export function ControlBar(props: Props) {
  const { conn, me, role, settings, audioBlocked, layout, selfView, panel, badges, handPosition } = props;
  const [pending, setPending] = useState<string>();
  const [error, setError] = useState<string>();
  const [devicesOpen, setDevicesOpen] = useState(false);
  const { ref, width } = useWidth();

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

  const source = (key: 'microphone' | 'camera', short: MessageKey, on: boolean, blocked: boolean): Control => {
    const text = SOURCE_TEXT[key];
    const [onIcon, offIcon] = key === 'camera' ? (['camera', 'cameraOff'] as const) : (['mic', 'micOff'] as const);
    const hint = blocked
      ? t(key === 'camera' ? 'controls.camera.blocked' : 'controls.mic.blocked')
      : t(on ? text.off : text.on);
    return {
      key,
      icon: on && !blocked ? onIcon : offIcon,
      short: t(short),
      // On/off is aria-pressed; muted by the teacher is said in full ("Mic muted by the teacher").
      name: blocked ? hint : t(short),
      hint,
      pressed: on,
      blocked,
      busy: Boolean(pending),
      onSelect: () => void (blocked ? undefined : run(key, () => conn.media.toggle(key), t(text.failed))),
    };
  };

  const sharing = conn.media.isEnabled('screen_share');
  const panelControl = (which: SidePanel, icon: keyof typeof ICONS, short: string): Control => ({
    key: which,
    icon,
    short,
    name: short,
    hint: short,
    pressed: panel === which,
    onSelect: () => props.onPanel(which),
  });

  // In order of importance: the first ones stay on a narrow bar.
  const controls: Control[] = [
    ...(expects('microphone') ? [source('microphone', 'controls.short.mic', me.micOn, me.micBlocked)] : []),
    ...(expects('camera') ? [source('camera', 'controls.short.camera', me.cameraOn, me.cameraBlocked)] : []),
    ...(role === 'instructor' && mayPublish(me.participant, 'screen_share') && canShareScreen()
      ? [
          {
            key: 'screen',
            icon: 'screen' as const,
            short: t(sharing ? 'controls.short.stopScreen' : 'controls.short.screen'),
            name: t(sharing ? SOURCE_TEXT.screen_share.off : SOURCE_TEXT.screen_share.on),
            hint: t(sharing ? SOURCE_TEXT.screen_share.off : SOURCE_TEXT.screen_share.on),
            pressed: sharing,
            busy: Boolean(pending),
            onSelect: () =>
              void run('screen_share', () => conn.media.toggle('screen_share'), t(SOURCE_TEXT.screen_share.failed)),
          },
        ]
      : []),
    ...(role !== 'observer'
      ? [
          {
            key: 'hand',
            icon: 'hand' as const,
            short: t(me.handRaised ? 'controls.short.lowerHand' : 'controls.short.raiseHand'),
            name: t(me.handRaised ? 'controls.hand.lower' : 'controls.hand.raise'),
            hint: t(me.handRaised ? 'controls.hand.lower' : 'controls.hand.raise'),
            pressed: me.handRaised,
            busy: Boolean(pending),
            onSelect: () => void run('hand', () => conn.setHandRaised(!me.handRaised), t('controls.hand.failed')),
          },
        ]
      : []),
    {
      ...panelControl('chat', 'chat', t('controls.chat')),
      badge: badges.unreadChat,
      badgeText: chatBadgeText(badges) || undefined,
    },
    {
      ...panelControl('people', 'people', t('controls.people')),
      badge: badges.waiting + badges.hands,
      badgeText: peopleBadgeText(badges) || undefined,
    },
    {
      ...panelControl('polls', 'poll', t('controls.polls')),
      badge: props.pollsBadge ?? 0,
      badgeText: props.pollsBadge ? t('polls.badge') : undefined,
    },
  ];
  const { slot, leave } = width < NARROW_BAR ? SLOTS.narrow : SLOTS.wide;
  const fixed = role !== 'observer' ? 2 : 1; // More, and React
  const fits = width > 0 ? Math.max(1, Math.floor((width - leave - fixed * slot) / slot)) : controls.length;
  const onBar = controls.slice(0, fits);
  const overflow = controls.slice(fits);

  const more: MenuEntry[] = [
    ...overflow.map((c) => ({
      key: c.key,
      label: c.badgeText ? `${c.name} (${c.badgeText})` : c.name,
      badge: c.badge,
      disabled: c.blocked,
      onSelect: c.onSelect,
    })),
    ...(['gallery', 'speaker', 'presentation'] as const).map((view) => ({
      key: `layout-${view}`,
      label: t(`controls.layout.${view}`),
      checked: layout === view,
      disabled: props.layoutLocked,
      onSelect: () => props.onLayout(view),
    })),
    ...(['tile', 'corner', 'hidden'] as const).map((view) => ({
      key: `self-${view}`,
      label: t(`controls.self.${view}`),
      checked: selfView === view,
      onSelect: () => props.onSelfView(view),
    })),
    ...(props.recordingEntries ?? []),
    { key: 'devices', label: t('controls.devices'), onSelect: () => setDevicesOpen(true) },
    {
      key: 'attendance',
      label: t(role === 'instructor' ? 'views.attendance' : 'views.myAttendance'),
      onSelect: () => props.onPanel('attendance'),
    },
  ];
  const hiddenBadges = overflow.reduce((sum, c) => sum + (c.badge ?? 0), 0);
  // Reactions are data messages: the SFU refuses them where it refuses chat (observers, chat switched off).
  const mayReact = role !== 'observer' && me.participant.permissions?.canPublishData !== false;
  const reactionEntries: MenuEntry[] = (Object.keys(REACTIONS) as ReactionKey[]).map((key) => ({
    key: `react-${key}`,
    label: `${REACTIONS[key].emoji} ${t(REACTIONS[key].name)}`,
    onSelect: () => void props.onReact(key).catch(() => setError(t('controls.react.failed'))),
  }));

  const notes = [
    me.handRaised && handPosition !== undefined && role !== 'instructor' ? (
      <p class="hint" key="hand">
        {t('controls.hand.position', { position: handPosition })}
      </p>
    ) : null,
    me.micBlocked && expects('microphone') ? (
      <p id="microphone-blocked-note" class="hint" key="mic">
        {t('controls.mic.blockedNote')}{' '}
        {/* Asking to speak is a raised hand: the teacher sees it in the queue and allows the mic from there. */}
        {!me.handRaised && (
          <button
            type="button"
            class="secondary"
            data-control="ask-to-speak"
            onClick={() => void run('hand', () => conn.setHandRaised(true), t('controls.hand.failed'))}
          >
            {t('controls.askToSpeak')}
          </button>
        )}
      </p>
    ) : null,
    me.cameraBlocked && expects('camera') ? (
      <p id="camera-blocked-note" class="hint" key="camera">
        {t('controls.camera.blockedNote')}
      </p>
    ) : null,
    webinarAudience ? (
      <p class="hint" key="audience">
        {t('controls.audience')}
      </p>
    ) : null,
    error ? (
      <p class="field-error" role="alert" key="error">
        {error}
      </p>
    ) : null,
  ].filter(Boolean);

  return (
    <div class="controls">
      {(notes.length > 0 || audioBlocked) && (
        <div class="control-notes">
          {audioBlocked && (
            <button type="button" class="control-audio" onClick={() => void conn.startAudio()}>
              <Icon name="volume" size={18} />
              {t('controls.playAudio')}
            </button>
          )}
          {notes}
        </div>
      )}
      <div ref={ref} class="control-bar" role="toolbar" aria-label={t('controls.label')}>
        <div class="control-group">
          {onBar.map((c) => (
            <BarButton key={c.key} control={c} />
          ))}
          {mayReact && (
            <MenuButton
              label={t('controls.react')}
              entries={reactionEntries}
              placement="above"
              class="control"
              dataControl="react"
            >
              <Icon name="react" size={22} />
              <span class="control-label">{t('controls.react')}</span>
            </MenuButton>
          )}
          <MenuButton
            label={hiddenBadges > 0 ? t('controls.more.badge', { count: hiddenBadges }) : t('controls.more')}
            entries={more}
            placement="above"
            class="control"
            dataControl="more"
          >
            <Icon name="more" size={22} />
            <span class="control-label">{t('controls.more')}</span>
            {hiddenBadges > 0 && (
              <span class="count" aria-hidden="true">
                {hiddenBadges}
              </span>
            )}
          </MenuButton>
        </div>
        <button
          type="button"
          class="control leave"
          data-control="leave"
          aria-label={t('controls.leave')}
          title={t('controls.leave')}
          onClick={props.onLeave}
        >
          <Icon name="leave" size={22} />
          <span class="control-label">{t('controls.short.leave')}</span>
        </button>
      </div>
      {devicesOpen && (
        <DevicesOverlay onClose={() => setDevicesOpen(false)}>
          <DeviceSettings
            conn={conn}
            kinds={[
              ...(expects('camera') ? (['videoinput'] as const) : []),
              ...(expects('microphone') ? (['audioinput'] as const) : []),
              'audiooutput' as const,
            ]}
          />
        </DevicesOverlay>
      )}
    </div>
  );
}

function BarButton({ control: c }: { control: Control }) {
  const badgeId = c.badgeText ? `${c.key}-badge` : undefined;
  const noteId = c.blocked ? `${c.key}-blocked-note` : undefined;
  return (
    <button
      type="button"
      class={`control${c.blocked ? ' blocked' : ''}`}
      data-control={c.key}
      data-blocked={c.blocked ? 'true' : undefined}
      aria-label={c.name === c.short ? undefined : c.name}
      title={c.hint}
      aria-pressed={c.blocked ? undefined : c.pressed ? 'true' : 'false'}
      aria-disabled={c.blocked || c.busy ? 'true' : undefined}
      aria-describedby={[noteId, badgeId].filter(Boolean).join(' ') || undefined}
      onClick={c.onSelect}
    >
      <Icon name={c.icon} size={22} />
      <span class="control-label">{c.short}</span>
      {c.badge ? (
        <span class="count" aria-hidden="true">
          {c.badge}
        </span>
      ) : null}
      {badgeId && (
        <span id={badgeId} class="visually-hidden">
          {c.badgeText}
        </span>
      )}
    </button>
  );
}
