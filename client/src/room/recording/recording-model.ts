/**
 * What the room shows of its recording and live stream, from GET /api/room/recording. Pure and importing
 * nothing, so Node unit tests load it as is (they check RECORDING_TOPIC against the server's). Starting
 * counts as recording: people are told before any of their media is recorded.
 */

/** The server's RECORDING_TOPIC: a push there means "fetch the recording state again" (from the tool only). */
export const RECORDING_TOPIC = 'recording';

/** The part of a RecordingViewDto (api/contract) these helpers read. */
interface RecordingViewDto {
  recordingId: string;
  status: 'starting' | 'recording' | 'ready' | 'failed' | 'deleted';
}

/** The part of a RecordingStateResponse (api/contract) these helpers read. */
interface RecordingStateResponse {
  file?: RecordingViewDto;
  stream?: RecordingViewDto;
}

export const isRecordingPush = (m: unknown): boolean =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'changed';

export const isOn = (v: RecordingViewDto | undefined): boolean => v?.status === 'starting' || v?.status === 'recording';

export interface RecordingIndicator {
  recording: boolean;
  streaming: boolean;
}

export function indicatorOf(state: RecordingStateResponse | undefined): RecordingIndicator {
  return { recording: isOn(state?.file), streaming: isOn(state?.stream) };
}

/** The failure a teacher is told of ("Recording stopped"), unless dismissed. */
export function failureOf<V extends RecordingViewDto>(
  state: { file?: V; stream?: V } | undefined,
  dismissed: ReadonlySet<string>,
): { kind: 'file' | 'stream'; view: V } | undefined {
  for (const kind of ['file', 'stream'] as const) {
    const view = state?.[kind];
    if (view?.status === 'failed' && !dismissed.has(view.recordingId)) return { kind, view };
  }
  return undefined;
}
