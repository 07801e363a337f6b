import { ConnectionState } from 'livekit-client';
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type { MeResponse } from '../api/contract';
import type { JoinGrant } from '../api/room-types';
import { useDocumentTitle } from '../components/use-document-title';
import { t } from '../i18n';
import { useAnnouncer } from './announcer';
import { AudioRenderer } from './audio-renderer';
import { useChat } from './chat';
import { ControlBar, type SidePanel as Panel } from './control-bar';
import { EndScreen } from './end-screen';
import { arrange, viewFor, type Layout, type SelfView } from './layout';
import { KnockToast } from './knock-toast';
import { LeaveDialog } from './leave-dialog';
import { useLeaderState } from './leader-panel';
import { handQueue, participantsOf } from './participant-model';
import { PollCard, usePolls } from './polls';
import type { EndReason, RoomConnection } from './room-connection';
import { useReactions } from './reactions';
import { SidePanel } from './side-panel';
import { SpeakingMeter, withMeter } from './speaking';
import { Stage } from './stage';
import { badgeCounts } from './badges';
import { RecordingFailure } from './recording/recording-failure';
import { RecordingIndicator } from './recording/recording-indicator';
import { recordingEntries } from './recording/leader-recording';
import { StreamDialog } from './recording/stream-dialog';
import { useRecording } from './recording/use-recording';
import { useRoomConnection, type JoinMedia } from './use-room-connection';
import './room.css';

/** Wide enough for the tiles and the side panel next to each other. */
const WIDE = '(min-width: 60rem)';

export interface RoomPageProps {
  api: ApiClient;
  me: MeResponse;
  /**
   * The join grant. Without one the page is rendered but hidden and not connected, behind the pre-join
   * page: Join then only shows it and connects (none of the room's rendering falls between the click and
   * the SFU's answer). Set once.
   */
  grant: JoinGrant | undefined;
  /** What the user chose to turn on at join, and from which devices (ids from the pre-join preview). */
  media: JoinMedia;
  /** Back to the pre-join page (after leaving, or a lost connection). */
  onRejoin: () => void;
  /** Where renewals and rejoins get their token (breakouts: the current breakout's); the room's by default. */
  fetchGrant?: () => Promise<JoinGrant>;
  /** Resolves true when the caller handles the connection's end itself (a breakout closing is a change of room). */
  onEnd?: (reason: EndReason) => Promise<boolean>;
  /** More of the room's UI on this connection (the breakouts' banner and panel). */
  overlay?: (conn: RoomConnection) => ComponentChildren;
}

/** The live class: everyone's tiles, your controls, the people and chat panels, and the leader's controls. */
export function RoomPage({ api, me, grant, media, onRejoin, fetchGrant, onEnd, overlay }: RoomPageProps) {
  const standby = grant === undefined;
  const { conn, connState, joining, reconnecting, end, audioBlocked, publishError } = useRoomConnection({
    api,
    grant,
    media,
    fetchGrant,
    onEnd,
  });
  const connected = connState === ConnectionState.Connected;
  const isLeader = me.user.role === 'instructor';
  // Read (again) once connected: a knock between the first read and joining the SFU would miss both.
  const leader = useLeaderState(api, conn, isLeader && connected);
  const announcer = useAnnouncer();
  // A personal view, until the leader sets the class layout again (then everyone follows the new one).
  const [personal, setPersonal] = useState<{ layout: Layout; over: string }>();
  const [selfView, setSelfView] = useState<SelfView>('tile');
  const [leaving, setLeaving] = useState(false);
  const [, setVersion] = useState(0);
  const meter = useMemo(() => new SpeakingMeter(() => setVersion((v) => v + 1)), []);
  useEffect(() => () => meter.close(), [meter]);
  // Teachers start with their controls open, students with the chat; a narrow frame starts with neither.
  const [panel, setPanel] = useState<Panel | undefined>(() =>
    window.matchMedia(WIDE).matches ? (isLeader ? 'people' : 'chat') : undefined,
  );
  // The frame narrowing (a phone turned, an LMS column shrinking) closes the panel rather than let it
  // suddenly cover the stage; it opens again over the stage when asked for.
  useEffect(() => {
    const wide = window.matchMedia(WIDE);
    const changed = () => {
      if (!wide.matches) setPanel(undefined);
    };
    wide.addEventListener('change', changed);
    return () => wide.removeEventListener('change', changed);
  }, []);
  const chat = useChat(conn, { visible: panel === 'chat' });
  const reactions = useReactions(conn);
  const polls = usePolls(api, conn, { enabled: connected, visible: panel === 'polls' });
  const recording = useRecording(api, conn, { enabled: connected, initial: me.room?.recording });
  const [streamOpen, setStreamOpen] = useState(false);
  const [recordingBusy, setRecordingBusy] = useState(false);
  const [recordingError, setRecordingError] = useState<string>();
  const recordingAction = async (action: () => Promise<void>) => {
    if (recordingBusy) return;
    setRecordingBusy(true);
    setRecordingError(undefined);
    try {
      await action();
    } catch (err) {
      setRecordingError(
        t('recording.control.failed', { reason: isApiError(err) ? err.message : t('common.unreachable') }),
      );
    } finally {
      setRecordingBusy(false);
    }
  };
  useDocumentTitle(standby ? undefined : (me.activity?.settings.title ?? t('room.defaultTitle')));
  // The Join button is gone: move focus to the room's heading so keyboard users start at the top.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!standby) heading.current?.focus();
  }, [standby]);

  // Behind the pre-join page the page shows what it will at the click (you, your controls), so that Join
  // changes little; once disconnected, nobody.
  const present = standby || conn.state !== ConnectionState.Disconnected || end;
  const participants = withMeter(present ? participantsOf(conn.room) : [], meter).map((p) => {
    const reaction = reactions.shown.get(p.identity);
    return reaction ? { ...p, reaction: reaction.key } : p;
  });
  // The first render after Join is the first announced from (the people already there are not news).
  if (!standby) announcer.observe(participants);

  if (end) return <EndScreen reason={end.reason} detail={end.detail} onRejoin={onRejoin} api={api} me={me} />;
  const local = participants.find((p) => p.isLocal);
  const settings = me.activity?.settings;
  const chatEnabled = conn.roomMetadata.chatEnabled ?? leader.chatEnabled;
  const classLayout = conn.roomMetadata.layout;
  const layoutKey = JSON.stringify(classLayout ?? {});
  const layout = viewFor(classLayout, personal?.over === layoutKey ? personal.layout : undefined);
  const setLayout = (chosen: Layout) => setPersonal({ layout: chosen, over: layoutKey });
  const staged = arrange(participants, classLayout, layout);
  const queue = handQueue(participants);
  const togglePanel = (which: Panel) => setPanel((open) => (open === which ? undefined : which));

  return (
    // Behind the pre-join page: laid out at its full size but invisible, out of the tab order and of the
    // accessibility tree (room.css), so that showing it needs no new layout.
    <main
      class="room"
      data-connection={connState}
      data-standby={standby ? 'true' : undefined}
      inert={standby}
      aria-hidden={standby ? 'true' : undefined}
    >
      <div class="banner" role="status">
        {reconnecting && <p>{t('room.reconnecting')}</p>}
        {local?.deaf && <p data-testid="deaf-notice">{t('room.deaf')}</p>}
        {joining && <p>{t('room.joining')}</p>}
      </div>
      <div aria-live="polite" class="visually-hidden" data-testid="announcements">
        {announcer.message}
      </div>
      <RecordingIndicator state={recording.state} isLeader={isLeader} />
      {isLeader && (
        <RecordingFailure
          state={recording.state}
          onRetry={(kind) => (kind === 'file' ? void recordingAction(recording.start) : setStreamOpen(true))}
        />
      )}
      {recordingError && (
        <p class="field-error" role="alert" data-testid="recording-error">
          {recordingError}
        </p>
      )}
      <AudioRenderer participants={participants} />
      {!standby && overlay?.(conn)}
      {isLeader && (
        <KnockToast
          api={api}
          waiting={leader.waiting}
          peopleOpen={panel === 'people'}
          onAdmitted={(identity) => leader.setWaiting((w) => w.filter((x) => x.identity !== identity))}
        />
      )}
      {!isLeader && <PollCard polls={polls} canVote={me.user.role !== 'observer'} panelOpen={panel === 'polls'} />}
      <div class="room-main">
        <section class="stage" aria-label={t('room.stage.label')}>
          <h1 ref={heading} tabIndex={-1} class="visually-hidden">
            {settings?.title ?? t('room.defaultTitle')}
          </h1>
          <Stage participants={staged} layout={layout} selfView={selfView} />
          {publishError && (
            <p class="field-error" role="alert">
              {publishError}
            </p>
          )}
        </section>
        <SidePanel
          api={api}
          me={me}
          panel={panel}
          onClose={() => setPanel(undefined)}
          participants={participants}
          leader={leader}
          chat={chat}
          chatEnabled={chatEnabled}
          polls={polls}
          classLayout={classLayout}
        />
      </div>
      {local && (
        <ControlBar
          conn={conn}
          me={local}
          role={me.user.role}
          settings={settings}
          audioBlocked={audioBlocked}
          layout={layout}
          onLayout={setLayout}
          layoutLocked={classLayout?.locked === true && classLayout.mode !== 'auto'}
          selfView={selfView}
          onSelfView={setSelfView}
          panel={panel}
          onPanel={togglePanel}
          badges={badgeCounts({
            waiting: leader.waiting,
            participants,
            unreadChat: chat.unread,
            chatOpen: panel === 'chat',
            isLeader,
          })}
          pollsBadge={polls.badge}
          handPosition={local.handRaised ? queue.indexOf(local) + 1 : undefined}
          onLeave={() => (isLeader ? setLeaving(true) : void conn.leave())}
          onReact={(key) => reactions.send(key)}
          recordingEntries={
            isLeader
              ? recordingEntries(
                  recording.state,
                  {
                    start: () => void recordingAction(recording.start),
                    stop: () => void recordingAction(recording.stop),
                    openStream: () => setStreamOpen(true),
                    stopStream: () => void recordingAction(recording.stopStream),
                  },
                  recordingBusy,
                )
              : undefined
          }
        />
      )}
      {isLeader && (
        <StreamDialog
          open={streamOpen}
          classTarget={recording.state?.streamTarget}
          onCancel={() => setStreamOpen(false)}
          onStart={async (target) => {
            await recording.startStream(target);
            setStreamOpen(false);
          }}
        />
      )}
      {isLeader && (
        <LeaveDialog
          open={leaving}
          onCancel={() => setLeaving(false)}
          onLeave={() => void conn.leave()}
          onEndForEveryone={() => api.roomAction('end')}
        />
      )}
    </main>
  );
}
