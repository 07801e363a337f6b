import { ConnectionState } from 'livekit-client';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type { JoinGrant } from '../api/room-types';
import { t } from '../i18n';
import { RoomConnection, type EndReason } from './room-connection';

/** What the user chose to turn on at join, and from which devices (ids from the pre-join preview). */
export interface JoinMedia {
  microphone: boolean;
  camera: boolean;
  microphoneDeviceId?: string | undefined;
  cameraDeviceId?: string | undefined;
}

export interface ConnectionOptions {
  api: ApiClient;
  /**
   * The join grant; undefined while the page waits behind the pre-join page (the connection exists, its
   * listeners are on, nothing connects). Set once: the first grant joins.
   */
  grant: JoinGrant | undefined;
  media: JoinMedia;
  /** Where renewals and rejoins get their token; the room's by default. */
  fetchGrant?: (() => Promise<JoinGrant>) | undefined;
  /** Resolves true when the caller handles the connection's end itself. */
  onEnd?: ((reason: EndReason) => Promise<boolean>) | undefined;
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

/**
 * The room page's connection and what the page shows of it: its state, how it ended, whether audio waits
 * for a click, and whether turning on the chosen microphone and camera failed. The connection is made with
 * the page (before the join, when the page is rendered behind the pre-join page) and joins in the render
 * that first has a grant, so signalling starts in the Join click's own task; the listeners are added in a
 * layout effect of the page's first render, before any event of the connection can come.
 */
export function useRoomConnection({ api, grant, media, fetchGrant, onEnd }: ConnectionOptions) {
  // Read when used, not when the connection was made: the caller's callbacks may change meanwhile.
  const callbacks = useRef({ fetchGrant, onEnd });
  callbacks.current = { fetchGrant, onEnd };
  const conn = useMemo(
    () =>
      new RoomConnection({
        fetchGrant: () => (callbacks.current.fetchGrant ?? (() => api.roomToken()))(),
        endReasonOf,
        setHand: (raised) => api.setHand(raised),
      }),
    [],
  );
  const connecting = useMemo(
    () => grant && conn.connect(grant, { camera: media.cameraDeviceId, microphone: media.microphoneDeviceId }),
    [grant],
  );
  const [connState, setConnState] = useState(ConnectionState.Connecting);
  const wasConnected = useRef(false);
  const [end, setEnd] = useState<{ reason: EndReason; detail?: string }>();
  const [audioBlocked, setAudioBlocked] = useState(false);
  const [publishError, setPublishError] = useState<string>();
  const [, setVersion] = useState(0);

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
        const handle = callbacks.current.onEnd;
        if (handle) void handle(reason).then((handled) => handled || setEnd({ reason }));
        else setEnd({ reason });
      }),
      conn.on('audioBlocked', setAudioBlocked),
    ];
    return () => {
      for (const off of offs) off();
      void conn.leave();
    };
  }, [conn]);

  useLayoutEffect(() => {
    connecting?.then(
      async () => {
        // Both at once, as livekit-client's enableCameraAndMicrophone does.
        const turnOn = (source: 'microphone' | 'camera', wanted: boolean) =>
          wanted
            ? conn.media.setEnabled(source, true).then(
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
  }, [connecting]);

  // Our own rejoin (after LiveKit gave up) connects afresh: to the user it is still "reconnecting".
  const reconnecting =
    connState === ConnectionState.Reconnecting ||
    connState === ConnectionState.SignalReconnecting ||
    (connState === ConnectionState.Connecting && wasConnected.current);
  const joining = connState === ConnectionState.Connecting && !wasConnected.current;
  return { conn, connState, joining, reconnecting, end, audioBlocked, publishError };
}
