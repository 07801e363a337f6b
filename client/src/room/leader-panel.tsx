import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type {
  BulkAction,
  RoomMetadata,
  ParticipantAction,
  RoomAction,
  WaitingAction,
  WaitingEntry,
  WaitingMessage,
} from '../api/room-types';
import { WAITING_TOPIC } from '../api/room-types';
import { t, tp, type MessageKey } from '../i18n';
import { handQueue, roleLabel, type ParticipantModel } from './participant-model';
import { PeopleRows, PersonRow } from './people-list';
import { PersonMenu } from './person-menu';
import { RemoveDialog } from './remove-dialog';
import type { RoomConnection } from './room-connection';
import { ClassLayoutForm } from './class-layout-form';
import { ConfirmDialog } from './confirm-dialog';

interface Props {
  api: ApiClient;
  participants: ParticipantModel[];
  waiting: WaitingEntry[];
  locked: boolean;
  chatEnabled: boolean;
  webinar: boolean;
  /** The class layout as the room metadata holds it. */
  layout?: Partial<RoomMetadata['layout']>;
  /** A room action the server accepted (the page updates what it shows). */
  onDone: (done: { kind: 'room'; action: RoomAction | BulkAction } | { kind: 'waiting'; identity: string }) => void;
}

/**
 * Button text per action: `short` is visible, `long` (with the name) is the accessible name and starts
 * with the visible text, so voice users can say what they see.
 */
const ACTION_TEXT: Record<ParticipantAction, { short: MessageKey; long: MessageKey }> = {
  'mute-audio': { short: 'leader.action.muteAudio', long: 'leader.action.muteAudio.of' },
  'allow-audio': { short: 'leader.action.allowAudio', long: 'leader.action.allowAudio.of' },
  'mute-video': { short: 'leader.action.muteVideo', long: 'leader.action.muteVideo.of' },
  'allow-video': { short: 'leader.action.allowVideo', long: 'leader.action.allowVideo.of' },
  remove: { short: 'leader.action.remove', long: 'leader.action.remove.of' },
  promote: { short: 'leader.action.promote', long: 'leader.action.promote.of' },
  demote: { short: 'leader.action.demote', long: 'leader.action.demote.of' },
  deaf: { short: 'leader.action.deaf', long: 'leader.action.deaf.of' },
  undeaf: { short: 'leader.action.undeaf', long: 'leader.action.undeaf.of' },
  'raise-hand': { short: 'leader.action.raiseHand', long: 'leader.action.raiseHand.of' },
  'lower-hand': { short: 'leader.action.lowerHand', long: 'leader.action.lowerHand.of' },
};

/**
 * The instructor's controls. Every button asks the server and shows the outcome only once it answers:
 * the button is disabled meanwhile, and a refusal appears in the panel's alert.
 */
export function LeaderPanel({ api, participants, waiting, locked, chatEnabled, webinar, layout, onDone }: Props) {
  const [pending, setPending] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [removing, setRemoving] = useState<ParticipantModel>();
  /** The room action whose confirmation is open, if any. */
  const [confirming, setConfirming] = useState<'end' | 'remove-all'>();

  const call = async (key: string, request: () => Promise<void>, after?: () => void) => {
    if (pending.has(key)) return;
    setPending((p) => new Set(p).add(key));
    setError(undefined);
    setNote(undefined);
    try {
      await request();
      after?.();
    } catch (err) {
      setError(isApiError(err) ? err.message : t('common.unreachable'));
    } finally {
      setPending((p) => {
        const next = new Set(p);
        next.delete(key);
        return next;
      });
    }
  };
  const roomAction = (action: RoomAction | BulkAction) =>
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

  // Only those the instructor sees: someone who knocks while the click is on its way stays in the queue.
  const admitAll = () => {
    const identities = waiting.map((w) => w.identity);
    return call('waiting:all', async () => {
      const { admitted } = await api.admitAll(identities);
      if (admitted.length < identities.length) setNote(t('people.admitAll.partial'));
      for (const identity of identities) onDone({ kind: 'waiting', identity });
    });
  };

  const others = participants.filter((p) => !p.isLocal);
  const queue = handQueue(others);
  const actionsFor = (p: ParticipantModel): ParticipantAction[] => {
    if (p.role === 'instructor') return [];
    const list: ParticipantAction[] = [];
    if (!webinar || p.participant.permissions?.canPublish) {
      list.push(p.micBlocked ? 'allow-audio' : 'mute-audio', p.cameraBlocked ? 'allow-video' : 'mute-video');
    }
    if (webinar) list.push(p.participant.permissions?.canPublish ? 'demote' : 'promote');
    list.push(p.deaf ? 'undeaf' : 'deaf');
    // 'lower-hand' lives in the raised-hands queue above, once per person.
    list.push('remove');
    return list;
  };
  const act = (p: ParticipantModel, action: ParticipantAction) =>
    void call(`${p.identity}:${action}`, () => api.participantAction(p.identity, action));
  const menuFor = (p: ParticipantModel) => (
    <PersonMenu
      label={t('people.menu.button', { name: p.name })}
      items={actionsFor(p).map((action) => ({
        key: action,
        label: t(ACTION_TEXT[action].short),
        ariaLabel: t(ACTION_TEXT[action].long, { name: p.name }),
        danger: action === 'remove',
        disabled: pending.has(`${p.identity}:${action}`),
        // Remove is asked first; everything else can be undone from the same menu.
        onSelect: () => (action === 'remove' ? setRemoving(p) : act(p, action)),
      }))}
    />
  );
  const actionButton = (p: ParticipantModel, action: ParticipantAction) => (
    <PendingButton
      key={action}
      pending={pending.has(`${p.identity}:${action}`)}
      onClick={() => act(p, action)}
      label={t(ACTION_TEXT[action].short)}
      aria-label={t(ACTION_TEXT[action].long, { name: p.name })}
      class={action === 'remove' ? 'danger' : 'secondary'}
      data-action={action}
    />
  );

  return (
    <section class="leader-panel" aria-labelledby="leader-heading">
      <h2 id="leader-heading">{t('leader.heading')}</h2>
      <div role="alert">{error && <p class="field-error">{error}</p>}</div>
      <div role="status">{note && <p class="hint">{note}</p>}</div>
      <div class="room-actions">
        <PendingButton
          pending={pending.has('room:lock') || pending.has('room:unlock')}
          onClick={() => void roomAction(locked ? 'unlock' : 'lock')}
          label={t(locked ? 'leader.unlock' : 'leader.lock')}
        />
        <PendingButton
          pending={pending.has('room:mute-all')}
          onClick={() => void roomAction('mute-all')}
          label={t('leader.muteAll')}
        />
        <PendingButton
          pending={pending.has('room:deaf-all')}
          onClick={() => void roomAction('deaf-all')}
          label={t('leader.deafAll')}
          data-action="deaf-all"
        />
        <PendingButton
          pending={pending.has('room:undeaf-all')}
          onClick={() => void roomAction('undeaf-all')}
          label={t('leader.undeafAll')}
          data-action="undeaf-all"
        />
        <PendingButton
          pending={pending.has('room:chat-on') || pending.has('room:chat-off')}
          onClick={() => void roomAction(chatEnabled ? 'chat-off' : 'chat-on')}
          label={t(chatEnabled ? 'leader.chatOff' : 'leader.chatOn')}
        />
        <PendingButton
          pending={pending.has('room:remove-all')}
          onClick={() => setConfirming('remove-all')}
          label={t('leader.removeAll')}
          class="danger"
          data-action="remove-all"
        />
        <PendingButton
          pending={pending.has('room:end')}
          onClick={() => setConfirming('end')}
          label={t('leader.end')}
          class="danger"
        />
      </div>
      <p class="hint">
        {[locked ? t('leader.status.locked') : undefined, chatEnabled ? undefined : t('leader.status.chatOff')]
          .filter(Boolean)
          .join(' ')}
      </p>
      <ClassLayoutForm api={api} layout={layout} />
      <ConfirmDialog
        open={confirming === 'end'}
        name="end-dialog"
        title={t('leader.endDialog.title')}
        body={t('leader.endDialog.body')}
        confirm={t('leader.endDialog.confirm')}
        onCancel={() => setConfirming(undefined)}
        onConfirm={() => {
          setConfirming(undefined);
          void roomAction('end');
        }}
      />
      <ConfirmDialog
        open={confirming === 'remove-all'}
        name="remove-all"
        title={t('leader.removeAllDialog.title')}
        body={t('leader.removeAllDialog.body')}
        confirm={t('leader.removeAllDialog.confirm')}
        confirmAction="confirm-remove-all"
        onCancel={() => setConfirming(undefined)}
        onConfirm={() => {
          setConfirming(undefined);
          void roomAction('remove-all');
        }}
      />

      <div class="section-head">
        <h3>{t('leader.waiting.heading', { count: waiting.length })}</h3>
        {waiting.length > 1 && (
          <PendingButton
            pending={pending.has('waiting:all')}
            onClick={() => void admitAll()}
            label={t('people.admitAll')}
            aria-label={tp('people.admitAll.of', waiting.length)}
            data-action="admit-all"
          />
        )}
      </div>
      {waiting.length === 0 ? (
        <p class="hint">{t('leader.waiting.empty')}</p>
      ) : (
        <ul class="people people-compact">
          {waiting.map((w) => (
            <li key={w.identity} data-waiting={w.identity}>
              <span class="person">
                {w.name} <span class={`badge role-${w.role}`}>{roleLabel(w.role)}</span>
              </span>
              <PendingButton
                pending={pending.has(`waiting:${w.identity}`)}
                onClick={() => void waitingAction(w.identity, 'admit')}
                label={t('leader.waiting.admit')}
                aria-label={t('leader.waiting.admit.of', { name: w.name })}
              />
              <PendingButton
                pending={pending.has(`waiting:${w.identity}`)}
                onClick={() => void waitingAction(w.identity, 'deny')}
                label={t('leader.waiting.deny')}
                aria-label={t('leader.waiting.deny.of', { name: w.name })}
                class="secondary"
              />
            </li>
          ))}
        </ul>
      )}

      {queue.length > 0 && (
        <>
          <h3>{t('leader.hands.heading', { count: queue.length })}</h3>
          <ol class="people people-compact hands">
            {queue.map((p, i) => (
              <PersonRow key={p.identity} model={p} handPosition={i + 1}>
                {actionButton(p, 'lower-hand')}
              </PersonRow>
            ))}
          </ol>
        </>
      )}

      <h3>{tp('leader.people.heading', others.length)}</h3>
      {others.length === 0 ? (
        <p class="hint">{t('leader.people.empty')}</p>
      ) : (
        <PeopleRows people={others} actions={menuFor} />
      )}
      <RemoveDialog
        person={removing}
        onCancel={() => setRemoving(undefined)}
        onConfirm={(p) => {
          setRemoving(undefined);
          act(p, 'remove');
        }}
      />
    </section>
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

/** Loads the waiting queue, lock and chat state once; the 'queue' messages keep the queue current afterwards. */
export function useLeaderState(api: ApiClient, conn: Pick<RoomConnection, 'on'>, enabled: boolean) {
  const [waiting, setWaiting] = useState<WaitingEntry[]>([]);
  const [locked, setLocked] = useState(false);
  const [chatEnabled, setChatEnabled] = useState(true);
  // A layout effect: on before the connection's first event. Only the tool's own messages reach this
  // listener for the waiting room (RoomConnection checks senders).
  useLayoutEffect(
    () =>
      conn.on('data', (message, topic) => {
        const m = message as Partial<WaitingMessage>;
        if (topic === WAITING_TOPIC && m.type === 'queue' && Array.isArray(m.queue)) setWaiting(m.queue);
      }),
    [conn],
  );
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    api.roomState(abort.signal).then(
      (state) => {
        setLocked(state.locked);
        setChatEnabled(state.chatEnabled);
        setWaiting(state.waiting ?? []);
      },
      () => undefined,
    );
    return () => abort.abort();
  }, [api, enabled]);
  return { waiting, setWaiting, locked, setLocked, chatEnabled, setChatEnabled };
}
