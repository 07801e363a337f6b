import { ConnectionState } from 'livekit-client';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type { MeResponse } from '../api/contract';
import { WAITING_TOPIC, type JoinGrant, type WaitingMessage } from '../api/room-types';
import { useDocumentTitle } from '../components/use-document-title';
import { EndScreen } from './end-screen';
import { LeaderPanel, useLeaderState } from './leader-panel';
import { participantsOf, type ParticipantModel } from './participant-model';
import { ParticipantTile } from './participant-tile';
import { ControlBar } from './control-bar';
import { RoomConnection, type EndReason } from './room-connection';

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
}

/** A refusal while renewing or rejoining that means the class is over for this user. */
function endReasonOf(err: unknown): EndReason | undefined {
  if (!isApiError(err)) return undefined;
  if (err.code === 'ROOM_ENDED') return 'ended';
  if (err.code === 'PARTICIPANT_REMOVED') return 'removed';
  return err.status === 401 ? 'lost' : undefined;
}

/** The live class: everyone's tiles, your controls, and the leader panel for instructors. */
export function RoomPage({ api, me, grant, media, onRejoin }: RoomPageProps) {
  const conn = useMemo(
    () =>
      new RoomConnection(grant, {
        fetchGrant: () => api.roomToken(),
        endReasonOf,
        devices: { camera: media.cameraDeviceId, microphone: media.microphoneDeviceId },
      }),
    [grant],
  );
  const [, setVersion] = useState(0);
  const [connState, setConnState] = useState(ConnectionState.Connecting);
  const [end, setEnd] = useState<{ reason: EndReason; detail?: string }>();
  const [audioBlocked, setAudioBlocked] = useState(false);
  const [publishError, setPublishError] = useState<string>();
  const isLeader = me.user.role === 'instructor';
  const leader = useLeaderState(api, isLeader);
  const announcer = useAnnouncer();
  useDocumentTitle(me.activity?.settings.title ?? 'Live class');
  // The Join button is gone: move focus to the room's heading so keyboard users start at the top.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    const offs = [
      conn.on('participantsChanged', () => setVersion((v) => v + 1)),
      conn.on('connectionState', setConnState),
      conn.on('disconnected', (reason) => setEnd({ reason })),
      conn.on('audioBlocked', setAudioBlocked),
      conn.on('data', (message, topic) => {
        const m = message as Partial<WaitingMessage>;
        if (topic === WAITING_TOPIC && m.type === 'queue' && Array.isArray(m.queue)) leader.setWaiting(m.queue);
      }),
    ];
    conn.connect().then(
      async () => {
        const failed: string[] = [];
        if (media.microphone) await conn.setEnabled('microphone', true).catch(() => failed.push('microphone'));
        if (media.camera) await conn.setEnabled('camera', true).catch(() => failed.push('camera'));
        if (failed.length > 0)
          setPublishError(`Your ${failed.join(' and ')} could not be started. Check the browser's permission.`);
      },
      () =>
        setEnd({ reason: 'lost', detail: 'The live class server did not answer. Your teacher or admin can check it.' }),
    );
    return () => {
      for (const off of offs) off();
      void conn.leave();
    };
  }, [conn]);

  const participants = conn.state === ConnectionState.Disconnected && !end ? [] : participantsOf(conn.room);
  announcer.observe(participants);

  if (end) return <EndScreen reason={end.reason} detail={end.detail} onRejoin={onRejoin} />;
  const local = participants.find((p) => p.isLocal);
  const reconnecting = connState === ConnectionState.Reconnecting || connState === ConnectionState.SignalReconnecting;
  const settings = me.activity?.settings;

  return (
    <main class="room" data-connection={connState}>
      <div class="banner" role="status">
        {reconnecting && <p>Reconnecting…</p>}
        {connState === ConnectionState.Connecting && <p>Joining the class…</p>}
      </div>
      <div aria-live="polite" class="visually-hidden" data-testid="announcements">
        {announcer.message}
      </div>
      <div class="room-main">
        <section class="stage" aria-label="Participants">
          <h1 ref={heading} tabIndex={-1} class="visually-hidden">
            {settings?.title ?? 'Live class'}
          </h1>
          <ul class="grid">
            {participants.map((p) => (
              <ParticipantTile key={p.identity} model={p} />
            ))}
          </ul>
          {local && (
            <ControlBar conn={conn} me={local} role={me.user.role} settings={settings} audioBlocked={audioBlocked} />
          )}
          {publishError && (
            <p class="field-error" role="alert">
              {publishError}
            </p>
          )}
        </section>
        {isLeader && (
          <LeaderPanel
            api={api}
            participants={participants}
            waiting={leader.waiting}
            locked={leader.locked}
            webinar={settings?.publishers === 'instructors'}
            onDone={(done) => {
              if (done.kind === 'waiting') leader.setWaiting((w) => w.filter((x) => x.identity !== done.identity));
              else if (done.action === 'lock' || done.action === 'unlock') leader.setLocked(done.action === 'lock');
            }}
          />
        )}
      </div>
    </main>
  );
}

/**
 * A polite live region's text: who joined or left, whose hand went up. Compares each render's participants
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
      if (!was && !p.isLocal) news.push(`${p.name} joined.`);
      else if (was && p.handRaised && !was.handRaised) news.push(`${p.isLocal ? 'You' : p.name} raised a hand.`);
    }
    for (const [identity, p] of before) if (!previous.current.has(identity)) news.push(`${p.name} left.`);
    if (news.length > 0) queueMicrotask(() => setMessage(news.join(' ')));
  };
  return { message, observe };
}
