import { useEffect, useRef, useState } from 'preact/hooks';
import type { RecordingStateResponse } from '../../api/contract';
import { t } from '../../i18n';
import { indicatorOf } from './recording-model';
import './recording.css';

/**
 * The persistent "Recording" / "Live" mark at the top of the room, for everyone. Screen readers hear each
 * change in a polite live region ("This class is being recorded.", "Recording stopped."), the first state
 * too, since it matters before anyone speaks.
 */
export function RecordingIndicator({
  state,
  isLeader,
}: {
  state: RecordingStateResponse | undefined;
  isLeader: boolean;
}) {
  const { recording, streaming } = indicatorOf(state);
  const [said, setSaid] = useState('');
  const before = useRef<{ recording: boolean; streaming: boolean }>({ recording: false, streaming: false });
  useEffect(() => {
    const was = before.current;
    before.current = { recording, streaming };
    const news: string[] = [];
    if (recording !== was.recording) news.push(t(recording ? 'recording.announce.on' : 'recording.announce.off'));
    if (streaming !== was.streaming)
      news.push(t(streaming ? 'recording.announce.liveOn' : 'recording.announce.liveOff'));
    if (news.length) setSaid(news.join(' '));
  }, [recording, streaming]);
  const target = isLeader ? state?.stream?.target : undefined;

  return (
    <>
      <div aria-live="polite" class="visually-hidden" data-testid="recording-announcement">
        {said}
      </div>
      {(recording || streaming) && (
        <div class="recording-indicator" data-testid="recording-indicator">
          {recording && (
            <span class="recording-pill" data-kind="file" title={t('recording.indicator.fileHint')}>
              <span class="recording-dot" aria-hidden="true" />
              {t('recording.indicator.file')}
            </span>
          )}
          {streaming && (
            <span class="recording-pill" data-kind="stream" title={t('recording.indicator.streamHint')}>
              <span class="recording-dot" aria-hidden="true" />
              {t('recording.indicator.stream')}
              {target && <span class="recording-target">{target}</span>}
            </span>
          )}
        </div>
      )}
    </>
  );
}
