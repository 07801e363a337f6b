import { useEffect, useRef, useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type { ParticipantAction, RoomAction, WaitingAction, WaitingEntry } from '../api/room-types';
import { ROLE_LABEL, type ParticipantModel } from './participant-model';

interface Props {
  api: ApiClient;
  participants: ParticipantModel[];
  waiting: WaitingEntry[];
  locked: boolean;
  webinar: boolean;
  /** A room action the server accepted (the page updates what it shows). */
  onDone: (done: { kind: 'room'; action: RoomAction } | { kind: 'waiting'; identity: string }) => void;
}

/** Each long (accessible) name starts with the visible short text, so voice users can say what they see. */
const ACTION_TEXT: Record<ParticipantAction, { short: string; long: string }> = {
  'mute-audio': { short: 'Mute mic', long: 'Mute mic of' },
  'allow-audio': { short: 'Allow mic', long: 'Allow mic for' },
  'mute-video': { short: 'Turn off camera', long: 'Turn off camera of' },
  'allow-video': { short: 'Allow camera', long: 'Allow camera for' },
  remove: { short: 'Remove', long: 'Remove' },
  promote: { short: 'Invite to speak', long: 'Invite to speak:' },
  demote: { short: 'Move to audience', long: 'Move to audience:' },
  'lower-hand': { short: 'Lower hand', long: 'Lower hand of' },
};

/**
 * The instructor's controls. Every button asks the server and shows the outcome only once it answers:
 * the button is disabled meanwhile, and a refusal appears in the panel's alert.
 */
export function LeaderPanel({ api, participants, waiting, locked, webinar, onDone }: Props) {
  const [pending, setPending] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string>();
  const dialog = useRef<HTMLDialogElement>(null);

  const call = async (key: string, request: () => Promise<void>, after?: () => void) => {
    if (pending.has(key)) return;
    setPending((p) => new Set(p).add(key));
    setError(undefined);
    try {
      await request();
      after?.();
    } catch (err) {
      setError(isApiError(err) ? err.message : 'The tool could not be reached. Try again.');
    } finally {
      setPending((p) => {
        const next = new Set(p);
        next.delete(key);
        return next;
      });
    }
  };
  const roomAction = (action: RoomAction) =>
    call(
      `room:${action}`,
      () => api.roomAction(action),
      () => onDone({ kind: 'room', action }),
    );
  const waitingAction = (identity: string, action: WaitingAction) =>
    call(
      `waiting:${identity}`,
      () => api.waitingAction(identity, action),
      () => onDone({ kind: 'waiting', identity }),
    );

  const others = participants.filter((p) => !p.isLocal);
  const actionsFor = (p: ParticipantModel): ParticipantAction[] => {
    if (p.role === 'instructor') return [];
    const list: ParticipantAction[] = [];
    if (!webinar || p.participant.permissions?.canPublish) {
      list.push(p.micBlocked ? 'allow-audio' : 'mute-audio', p.cameraBlocked ? 'allow-video' : 'mute-video');
    }
    if (webinar) list.push(p.participant.permissions?.canPublish ? 'demote' : 'promote');
    if (p.handRaised) list.push('lower-hand');
    list.push('remove');
    return list;
  };

  return (
    <aside class="leader-panel" aria-labelledby="leader-heading">
      <h2 id="leader-heading">Class controls</h2>
      <div role="alert">{error && <p class="field-error">{error}</p>}</div>
      <div class="room-actions">
        <PendingButton
          pending={pending.has('room:lock') || pending.has('room:unlock')}
          onClick={() => void roomAction(locked ? 'unlock' : 'lock')}
          label={locked ? 'Unlock the class' : 'Lock the class'}
        />
        <PendingButton
          pending={pending.has('room:mute-all')}
          onClick={() => void roomAction('mute-all')}
          label="Mute all students"
        />
        <PendingButton
          pending={pending.has('room:end')}
          onClick={() => dialog.current?.showModal()}
          label="End class for everyone"
          class="danger"
        />
      </div>
      <dialog ref={dialog} aria-labelledby="end-dialog-title">
        <h2 id="end-dialog-title">End the class for everyone?</h2>
        <p>Everyone is disconnected and the class closes until a teacher joins again.</p>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="button"
            class="danger"
            onClick={() => {
              dialog.current?.close();
              void roomAction('end');
            }}
          >
            End the class
          </button>
        </div>
      </dialog>

      <h3>Waiting room ({waiting.length})</h3>
      {waiting.length === 0 ? (
        <p class="hint">Nobody is waiting.</p>
      ) : (
        <ul class="people">
          {waiting.map((w) => (
            <li key={w.identity} data-waiting={w.identity}>
              <span>
                {w.name} <span class={`badge role-${w.role}`}>{ROLE_LABEL[w.role]}</span>
              </span>
              <PendingButton
                pending={pending.has(`waiting:${w.identity}`)}
                onClick={() => void waitingAction(w.identity, 'admit')}
                label="Admit"
                aria-label={`Admit ${w.name}`}
              />
              <PendingButton
                pending={pending.has(`waiting:${w.identity}`)}
                onClick={() => void waitingAction(w.identity, 'deny')}
                label="Deny"
                aria-label={`Deny ${w.name}`}
                class="secondary"
              />
            </li>
          ))}
        </ul>
      )}

      <h3>People ({others.length})</h3>
      {others.length === 0 && <p class="hint">Nobody else has joined yet.</p>}
      <ul class="people">
        {others.map((p) => (
          <li key={p.identity} data-identity={p.identity}>
            <span>
              {p.name} <span class={`badge role-${p.role}`}>{ROLE_LABEL[p.role]}</span>
              {p.handRaised && <span class="badge hand-badge">Hand raised</span>}
            </span>
            {actionsFor(p).map((action) => (
              <PendingButton
                key={action}
                pending={pending.has(`${p.identity}:${action}`)}
                onClick={() => void call(`${p.identity}:${action}`, () => api.participantAction(p.identity, action))}
                label={ACTION_TEXT[action].short}
                aria-label={`${ACTION_TEXT[action].long} ${p.name}`}
                class={action === 'remove' ? 'danger' : 'secondary'}
                data-action={action}
              />
            ))}
          </li>
        ))}
      </ul>
    </aside>
  );
}

interface PendingButtonProps {
  pending: boolean;
  label: string;
  onClick: () => void;
  class?: string;
  'aria-label'?: string;
  'data-action'?: string;
}

function PendingButton({ pending, label, onClick, ...rest }: PendingButtonProps) {
  return (
    <button type="button" {...rest} disabled={pending} aria-busy={pending ? 'true' : undefined} onClick={onClick}>
      {label}
    </button>
  );
}

/** Loads the waiting queue and lock state once; the 'queue' messages keep the queue current afterwards. */
export function useLeaderState(api: ApiClient, enabled: boolean) {
  const [waiting, setWaiting] = useState<WaitingEntry[]>([]);
  const [locked, setLocked] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    api.roomState(abort.signal).then(
      (state) => {
        setLocked(state.locked);
        setWaiting(state.waiting ?? []);
      },
      () => undefined,
    );
    return () => abort.abort();
  }, [api, enabled]);
  return { waiting, setWaiting, locked, setLocked };
}
