import { useState } from 'preact/hooks';
import type { RecordingStateResponse } from '../../api/contract';
import { t } from '../../i18n';
import { failureOf } from './recording-model';

interface Props {
  state: RecordingStateResponse | undefined;
  /** Starts the same again (a recording, or the stream form). */
  onRetry: (kind: 'file' | 'stream') => void;
}

/** A teacher's "Recording stopped" (or "Stream stopped"), with the recorder's reason and a way to start again. */
export function RecordingFailure({ state, onRetry }: Props) {
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const failure = failureOf(state, dismissed);
  return (
    <div role="alert" class="recording-failure-region">
      {failure && (
        <div class="recording-failure" data-testid="recording-failure" data-kind={failure.kind}>
          <p>
            <strong>{t(failure.kind === 'file' ? 'recording.failed.file' : 'recording.failed.stream')}</strong>{' '}
            {failure.view.error ?? t('recording.failed.noReason')}
          </p>
          <div class="actions">
            <button type="button" onClick={() => onRetry(failure.kind)}>
              {t(failure.kind === 'file' ? 'recording.failed.retryFile' : 'recording.failed.retryStream')}
            </button>{' '}
            <button
              type="button"
              class="secondary"
              onClick={() => setDismissed((d) => new Set([...d, failure.view.recordingId]))}
            >
              {t('recording.failed.dismiss')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
