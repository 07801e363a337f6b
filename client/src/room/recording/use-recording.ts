import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../api/client';
import type { RecordingStateResponse, StreamStartRequest } from '../../api/contract';
import type { RoomConnection } from '../room-connection';
import { isRecordingPush, RECORDING_TOPIC } from './recording-model';

/** Also asked this often while connected: a lost push only delays what the room shows. */
const REFRESH_MS = 30_000;

export interface RoomRecordingState {
  state: RecordingStateResponse | undefined;
  refresh: () => Promise<void>;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  startStream: (target: StreamStartRequest) => Promise<void>;
  stopStream: () => Promise<void>;
}

/**
 * The room's recording and stream: `initial` from /api/me, then GET /api/room/recording once connected,
 * on each push from the tool (topic 'recording') and every 30 s. A leader's action answers with the new
 * state before any push.
 */
export function useRecording(
  api: ApiClient,
  conn: Pick<RoomConnection, 'on'>,
  { enabled, initial }: { enabled: boolean; initial: RecordingStateResponse | undefined },
): RoomRecordingState {
  const [state, setState] = useState<RecordingStateResponse | undefined>(initial);
  const running = useRef<Promise<void>>();

  // One fetch at a time, each after the one before: an answer never predates the push or action that asked.
  const refresh = useCallback(async (): Promise<void> => {
    const mine = (running.current ?? Promise.resolve()).then(() =>
      api.recordingState().then(setState, () => undefined),
    );
    running.current = mine;
    await mine;
    if (running.current === mine) running.current = undefined;
  }, [api]);

  useEffect(() => {
    if (!enabled) return;
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    const off = conn.on('data', (message, topic) => {
      if (topic === RECORDING_TOPIC && isRecordingPush(message)) void refresh();
    });
    return () => {
      clearInterval(timer);
      off();
    };
  }, [conn, enabled, refresh]);

  const after = (action: () => Promise<unknown>) => async () => {
    try {
      await action();
    } finally {
      await refresh();
    }
  };
  return {
    state,
    refresh,
    start: after(() => api.recordingAction('recording', 'start')),
    stop: after(() => api.recordingAction('recording', 'stop')),
    startStream: (target) => after(() => api.startStream(target))(),
    stopStream: after(() => api.recordingAction('stream', 'stop')),
  };
}
