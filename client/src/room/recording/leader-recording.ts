import type { RecordingStateResponse } from '../../api/contract';
import { t } from '../../i18n';
import type { MenuEntry } from '../menu-button';
import { isOn } from './recording-model';

export interface LeaderRecordingActions {
  start: () => void;
  stop: () => void;
  /** Opens the Go live form. */
  openStream: () => void;
  stopStream: () => void;
}

/**
 * The teacher's entries in More: Record or Stop recording, Go live or Stop stream. Where recording is
 * unavailable the start entries stay, disabled, saying why (not set up here, the recorder not answering).
 */
export function recordingEntries(
  state: RecordingStateResponse | undefined,
  actions: LeaderRecordingActions,
  busy: boolean,
): MenuEntry[] {
  if (!state) return [];
  const why = state.available ? undefined : t(`recording.unavailable.${state.reason ?? 'unreachable'}`);
  const unavailable = (action: string) => (why ? t('recording.unavailable.entry', { action, why }) : action);
  const recording = isOn(state.file);
  const streaming = isOn(state.stream);
  return [
    recording
      ? { key: 'record-stop', label: t('recording.control.stop'), disabled: busy, onSelect: actions.stop }
      : {
          key: 'record',
          label: unavailable(t('recording.control.start')),
          disabled: busy || !state.available,
          onSelect: actions.start,
        },
    streaming
      ? { key: 'stream-stop', label: t('recording.control.stopStream'), disabled: busy, onSelect: actions.stopStream }
      : {
          key: 'stream',
          label: unavailable(t('recording.control.startStream')),
          disabled: busy || !state.available,
          onSelect: actions.openStream,
        },
  ];
}
