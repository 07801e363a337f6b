import { useState } from 'preact/hooks';
import type { ActivitySettings, AppRole } from '../api/contract';
import type { ParticipantModel } from './participant-model';
import type { RoomConnection, Source } from './room-connection';

interface Props {
  conn: RoomConnection;
  me: ParticipantModel;
  role: AppRole;
  settings: ActivitySettings | undefined;
  audioBlocked: boolean;
}

/**
 * Mic, camera, hand and leave. A source the role never gets is not shown; a source the teacher took away
 * stays visible, marked "muted by the teacher", and cannot be turned on.
 */
export function ControlBar({ conn, me, role, settings, audioBlocked }: Props) {
  const [pending, setPending] = useState<string>();
  const [error, setError] = useState<string>();

  const run = async (key: string, action: () => Promise<unknown>, failure: string) => {
    if (pending) return;
    setPending(key);
    setError(undefined);
    try {
      await action();
    } catch {
      setError(failure);
    } finally {
      setPending(undefined);
    }
  };

  const webinarAudience =
    role === 'participant' && settings?.publishers === 'instructors' && !me.participant.permissions?.canPublish;
  const expects = (source: Source) =>
    role !== 'observer' && !webinarAudience && !(source === 'camera' && settings?.audioOnly);

  const sourceButton = (source: Source, on: boolean, blocked: boolean) => {
    const noun = source === 'camera' ? 'camera' : 'microphone';
    if (blocked) {
      return (
        <button
          type="button"
          class="control blocked"
          data-control={source}
          data-blocked="true"
          aria-disabled="true"
          aria-describedby={`${source}-blocked-note`}
        >
          {source === 'camera' ? 'Camera' : 'Mic'} muted by the teacher
        </button>
      );
    }
    return (
      <button
        type="button"
        class="control"
        data-control={source}
        aria-pressed={on ? 'true' : 'false'}
        aria-disabled={pending ? 'true' : undefined}
        onClick={() =>
          void run(source, () => conn.toggle(source), `Your ${noun} could not be turned ${on ? 'off' : 'on'}.`)
        }
      >
        {on ? `Turn ${noun} off` : `Turn ${noun} on`}
      </button>
    );
  };

  return (
    <div class="control-bar" role="toolbar" aria-label="Class controls">
      {expects('microphone') && sourceButton('microphone', me.micOn, me.micBlocked)}
      {expects('camera') && sourceButton('camera', me.cameraOn, me.cameraBlocked)}
      {role !== 'observer' && (
        <button
          type="button"
          class="control"
          data-control="hand"
          aria-pressed={me.handRaised ? 'true' : 'false'}
          aria-disabled={pending ? 'true' : undefined}
          onClick={() =>
            void run('hand', () => conn.setHandRaised(!me.handRaised), 'Your hand could not be raised or lowered.')
          }
        >
          {me.handRaised ? 'Lower hand' : 'Raise hand'}
        </button>
      )}
      {audioBlocked && (
        <button type="button" class="control" onClick={() => void conn.startAudio()}>
          Play the class audio
        </button>
      )}
      <button type="button" class="control leave" onClick={() => void conn.leave()}>
        Leave the class
      </button>
      {me.micBlocked && expects('microphone') && (
        <p id="microphone-blocked-note" class="hint">
          Your teacher muted your microphone. They can allow it again.
        </p>
      )}
      {me.cameraBlocked && expects('camera') && (
        <p id="camera-blocked-note" class="hint">
          Your teacher turned off your camera. They can allow it again.
        </p>
      )}
      {webinarAudience && <p class="hint">You are in the audience. Your teacher can invite you to speak.</p>}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
