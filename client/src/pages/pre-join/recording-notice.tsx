import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../api/client';
import type { RecordingStateResponse } from '../../api/contract';
import { t } from '../../i18n';

/** The page asks again this often: a teacher may start recording while someone checks their camera here. */
const REFRESH_MS = 20_000;

/**
 * Before joining: that the class is being recorded (or streamed), or records by itself once it starts, so
 * nobody's camera or microphone is recorded without their having been told.
 */
export function RecordingNotice({ api, initial }: { api: ApiClient; initial: RecordingStateResponse | undefined }) {
  const [state, setState] = useState(initial);
  useEffect(() => {
    const abort = new AbortController();
    const timer = setInterval(() => void api.recordingState(abort.signal).then(setState, () => undefined), REFRESH_MS);
    return () => {
      clearInterval(timer);
      abort.abort();
    };
  }, [api]);
  const on = (s: RecordingStateResponse['file']) => s?.status === 'starting' || s?.status === 'recording';
  const lines = [
    on(state?.file) ? t('prejoin.recording.now') : state?.auto ? t('prejoin.recording.auto') : undefined,
    on(state?.stream) ? t('prejoin.recording.live') : undefined,
  ].filter((line): line is string => Boolean(line));
  return (
    <div aria-live="polite">
      {lines.length > 0 && (
        <p class="recording-notice" data-testid="recording-notice">
          {lines.join(' ')}
        </p>
      )}
    </div>
  );
}
