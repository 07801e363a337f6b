import { ConnectionState, Track } from 'livekit-client';
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import { AttendancePanel, attendanceLabel } from '../attendance/attendance-tab';
import type { MeResponse } from '../api/contract';
import { WAITING_TOPIC, type JoinGrant, type WaitingMessage } from '../api/room-types';
import { useDocumentTitle } from '../components/use-document-title';
import { t } from '../i18n';
import { AudioRenderer } from './audio-renderer';
import { ChatPanel, useChat } from './chat';
import { ControlBar, type SidePanel } from './control-bar';
import { EndScreen } from './end-screen';
import { arrange, viewFor, type Layout, type SelfView } from './layout';
import { KnockToast } from './knock-toast';
import { LeaveDialog } from './leave-dialog';
import { LeaderPanel, useLeaderState } from './leader-panel';
import { handQueue, participantsOf, type ParticipantModel } from './participant-model';
import { PeopleList } from './people-list';
import { PollCard, PollsPanel, usePolls } from './polls';
import { RoomConnection, type EndReason } from './room-connection';
import { REACTIONS, useReactions } from './reactions';
import { SpeakingMeter } from './speaking';
import { Stage } from './stage';
import { badgeCounts } from './badges';
import { RecordingFailure } from './recording/recording-failure';
import { RecordingIndicator } from './recording/recording-indicator';
import { recordingEntries } from './recording/leader-recording';
import { StreamDialog } from './recording/stream-dialog';
import { useRecording } from './recording/use-recording';
import './room.css';

/** Wide enough for the tiles and the side panel next to each other. */
const WIDE = '(min-width: 60rem)';

export interface RoomPageProps {
  api: ApiClient;
  me: MeResponse;
  grant: JoinGrant;
  /** What the user chose to turn on at join, and from which devices (ids from the pre-join preview). */
  media: {
    microphone: boolean;
    camera: boolean;
    microphoneDeviceId?: string | undefined;
    cameraDeviceId?: string | undefined;
  };
  /** Back to the pre-join page (after leaving, or a lost connection). */
  onRejoin: () => void;
  /** Where renewals and rejoins get their token (breakouts: the current breakout's); the room's by default. */
  fetchGrant?: () => Promise<JoinGrant>;
  /** Resolves true when the caller handles the connection's end itself (a breakout closing is a change of room). */
  onEnd?: (reason: EndReason) => Promise<boolean>;
  /** More of the room's UI on this connection (the breakouts' banner and panel). */
  overlay?: (conn: RoomConnection) => ComponentChildren;
}

/** A refusal while renewing or rejoining that means the class is over for this user. */
function endReasonOf(err: unknown): EndReason | undefined {
  if (!isApiError(err)) return undefined;
  if (err.code === 'ROOM_ENDED') return 'ended';
  if (err.code === 'ROOM_PARTICIPANT_REMOVED') return 'removed';
  // Dropped out while the teacher locked the class: rejoining is refused until they unlock it.
  if (err.code === 'ROOM_LOCKED') return 'locked';
  return err.status === 401 ? 'lost' : undefined;
}

/** The live class: everyone's tiles, your controls, the people and chat panels, and the leader's controls. */
export function RoomPage({ api, me, grant, media, onRejoin, fetchGrant, onEnd, overlay }: RoomPageProps) {
  // The connection starts with the page's first render rather than after its first paint: signalling and
  // ICE overlap the rendering. Its listeners (below) are added in the same task, before any event can come.
  const { conn, connecting } = useMemo(() => {
    const conn = new RoomConnection(grant, {
      fetchGrant: fetchGrant ?? (() => api.roomToken()),
      endReasonOf,
      devices: { camera: media.cameraDeviceId, microphone: media.microphoneDeviceId },
      setHand: (raised) => api.setHand(raised),
    });
    return { conn, connecting: conn.connect() };
  }, [grant]);
  const [, setVersion] = useState(0);
  const [connState, setConnState] = useState(ConnectionState.Connecting);
  const wasConnected = useRef(false);
  const [end, setEnd] = useState<{ reason: EndReason; detail?: string }>();
  const [audioBlocked, setAudioBlocked] = useState(false);
  const [publishError, setPublishError] = useState<string>();
  const isLeader = me.user.role === 'instructor';
  // Read (again) once connected: a knock between the first read and joining the SFU would miss both.
  const leader = useLeaderState(api, isLeader && connState === ConnectionState.Connected);
  const announcer = useAnnouncer();
  // A personal view, until the leader sets the class layout again (then everyone follows the new one).
  const [personal, setPersonal] = useState<{ layout: Layout; over: string }>();
  const [selfView, setSelfView] = useState<SelfView>('tile');
  const [leaving, setLeaving] = useState(false);
  const meter = useMemo(() => new SpeakingMeter(() => setVersion((v) => v + 1)), []);
  useEffect(() => () => meter.close(), [meter]);
  // Teachers start with their controls open, students with the chat; a narrow frame starts with neither.
  const [panel, setPanel] = useState<SidePanel | undefined>(() =>
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
  const polls = usePolls(api, conn, { enabled: connState === ConnectionState.Connected, visible: panel === 'polls' });
  const recording = useRecording(api, conn, {
    enabled: connState === ConnectionState.Connected,
    initial: me.room?.recording,
  });
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
  useDocumentTitle(me.activity?.settings.title ?? t('room.defaultTitle'));
  // The Join button is gone: move focus to the room's heading so keyboard users start at the top.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  useLayoutEffect(() => {
    const offs = [
      conn.on('participantsChanged', () => setVersion((v) => v + 1)),
      conn.on('connectionState', (state) => {
        if (state === ConnectionState.Connected) wasConnected.current = true;
        setConnState(state);
      }),
      conn.on('disconnected', (reason) => {
        // The server closed the room, removed us or stopped answering: if that was because the course's (or the
        // integrator's) connection to the tool was revoked, the launch itself now answers 401, and the launcher
        // says so instead of this screen.
        if (reason === 'ended' || reason === 'removed' || reason === 'lost') void api.me().catch(() => undefined);
        if (onEnd) void onEnd(reason).then((handled) => handled || setEnd({ reason }));
        else setEnd({ reason });
      }),
      conn.on('audioBlocked', setAudioBlocked),
      // Only the tool's own messages reach this listener for the waiting room (RoomConnection checks senders).
      conn.on('data', (message, topic) => {
        const m = message as Partial<WaitingMessage>;
        if (topic === WAITING_TOPIC && m.type === 'queue' && Array.isArray(m.queue)) leader.setWaiting(m.queue);
      }),
    ];
    connecting.then(
      async () => {
        // Both at once, as livekit-client's enableCameraAndMicrophone does.
        const turnOn = (source: 'microphone' | 'camera', wanted: boolean) =>
          wanted
            ? conn.setEnabled(source, true).then(
                () => true,
                () => false,
              )
            : true;
        const [mic, camera] = await Promise.all([
          turnOn('microphone', media.microphone),
          turnOn('camera', media.camera),
        ]);
        if (!mic || !camera)
          setPublishError(
            t(!mic && !camera ? 'room.startFailed.both' : !mic ? 'room.startFailed.mic' : 'room.startFailed.camera'),
          );
      },
      () => setEnd({ reason: 'lost', detail: t('room.noAnswer') }),
    );
    return () => {
      for (const off of offs) off();
      void conn.leave();
    };
  }, [conn]);

  const participants = withMeter(
    conn.state === ConnectionState.Disconnected && !end ? [] : participantsOf(conn.room),
    meter,
  ).map((p) => {
    const reaction = reactions.shown.get(p.identity);
    return reaction ? { ...p, reaction: reaction.key } : p;
  });
  announcer.observe(participants);

  if (end) return <EndScreen reason={end.reason} detail={end.detail} onRejoin={onRejoin} api={api} me={me} />;
  const local = participants.find((p) => p.isLocal);
  // Our own rejoin (after LiveKit gave up) connects afresh: to the user it is still "reconnecting".
  const reconnecting =
    connState === ConnectionState.Reconnecting ||
    connState === ConnectionState.SignalReconnecting ||
    (connState === ConnectionState.Connecting && wasConnected.current);
  const settings = me.activity?.settings;
  const chatEnabled = conn.roomMetadata.chatEnabled ?? leader.chatEnabled;
  const classLayout = conn.roomMetadata.layout;
  const layoutKey = JSON.stringify(classLayout ?? {});
  const layout = viewFor(classLayout, personal?.over === layoutKey ? personal.layout : undefined);
  const setLayout = (chosen: Layout) => setPersonal({ layout: chosen, over: layoutKey });
  const staged = arrange(participants, classLayout);
  const queue = handQueue(participants);
  const togglePanel = (which: SidePanel) => setPanel((open) => (open === which ? undefined : which));

  return (
    <main class="room" data-connection={connState}>
      <div class="banner" role="status">
        {reconnecting && <p>{t('room.reconnecting')}</p>}
        {local?.deaf && <p data-testid="deaf-notice">{t('room.deaf')}</p>}
        {connState === ConnectionState.Connecting && !wasConnected.current && <p>{t('room.joining')}</p>}
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
      {overlay?.(conn)}
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
        <aside
          class="side-panel"
          hidden={!panel}
          data-panel={panel}
          aria-label={panel === 'attendance' ? attendanceLabel(me) : t('room.side.label')}
        >
          {panel && (
            <button type="button" class="secondary panel-close" onClick={() => setPanel(undefined)}>
              {t('room.side.close')}
            </button>
          )}
          {panel === 'people' &&
            (isLeader ? (
              <LeaderPanel
                api={api}
                participants={participants}
                waiting={leader.waiting}
                locked={leader.locked}
                chatEnabled={chatEnabled}
                webinar={settings?.publishers === 'instructors'}
                layout={classLayout}
                onDone={(done) => {
                  if (done.kind === 'waiting') leader.setWaiting((w) => w.filter((x) => x.identity !== done.identity));
                  else if (done.action === 'lock' || done.action === 'unlock') leader.setLocked(done.action === 'lock');
                  else if (done.action === 'chat-on' || done.action === 'chat-off')
                    leader.setChatEnabled(done.action === 'chat-on');
                }}
              />
            ) : (
              <PeopleList participants={participants} />
            ))}
          {panel === 'attendance' && <AttendancePanel api={api} me={me} />}
          <PollsPanel
            polls={polls}
            visible={panel === 'polls'}
            isLeader={isLeader}
            canVote={me.user.role !== 'observer'}
          />
          <ChatPanel
            chat={chat}
            visible={panel === 'chat'}
            // Until the SFU's permission arrives, assume what the role gets (not a false "chat is off").
            canSend={local?.participant.permissions?.canPublishData ?? me.user.role !== 'observer'}
            chatEnabled={chatEnabled}
            isLeader={isLeader}
          />
        </aside>
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

/**
 * A polite live region's text: who joined or left, whose hand went up, who reacted. Compares each render's participants
 * with the previous ones; the first render (the people already there) is not announced.
 */
function useAnnouncer() {
  const previous = useRef<Map<string, ParticipantModel>>();
  const [message, setMessage] = useState('');
  const observe = (now: ParticipantModel[]) => {
    const before = previous.current;
    previous.current = new Map(now.map((p) => [p.identity, p]));
    if (!before || now.length === 0) return;
    const news: string[] = [];
    for (const p of now) {
      const was = before.get(p.identity);
      if (!was && !p.isLocal) news.push(t('room.announce.joined', { name: p.name }));
      else if (was && p.handRaised && !was.handRaised)
        news.push(p.isLocal ? t('room.announce.youRaisedHand') : t('room.announce.raisedHand', { name: p.name }));
      if (was && p.reaction && p.reaction !== was.reaction && !p.isLocal)
        news.push(t('room.announce.reacted', { name: p.name, reaction: t(REACTIONS[p.reaction].name) }));
    }
    for (const [identity, p] of before)
      if (!previous.current.has(identity)) news.push(t('room.announce.left', { name: p.name }));
    if (news.length > 0) queueMicrotask(() => setMessage(news.join(' ')));
  };
  return { message, observe };
}

/**
 * The participants with this browser's own speaking meter folded in (see speaking.ts): it meters each
 * microphone that is on, and a person speaks while the SFU or the meter says so.
 */
function withMeter(participants: ParticipantModel[], meter: SpeakingMeter): ParticipantModel[] {
  const tracks = new Map<string, MediaStreamTrack>();
  for (const p of participants) {
    const track = p.micOn
      ? p.participant.getTrackPublication(Track.Source.Microphone)?.track?.mediaStreamTrack
      : undefined;
    if (track) tracks.set(p.identity, track);
  }
  meter.watch(tracks);
  return participants.map((p) => {
    const heard = meter.speaking(p.identity);
    if (!heard) return p;
    return { ...p, speaking: true, lastSpokeAt: Math.max(p.lastSpokeAt, meter.lastLoudAt(p.identity)) };
  });
}
