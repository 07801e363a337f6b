import { useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../../api/client';
import type { BreakoutState } from '../../api/contract';
import { t } from '../../i18n';
import { useModal } from '../../components/modal-dialog';
import { countdownText, spread } from './breakout-model';

interface Person {
  identity: string;
  name: string;
}

interface Props {
  open: boolean;
  onClose: () => void;
  api: ApiClient;
  state: BreakoutState;
  /** The learners in the main room now (for a plan made before opening). */
  learners: Person[];
  /** The room the leader is in (0: the main room). */
  here: number;
  now: number;
  onChanged: () => Promise<unknown>;
  go: (visit?: number) => Promise<void>;
}

const COUNTDOWNS = [0, 30, 60] as const;

/** The leader's breakout rooms, in a modal dialog (fits a small frame): plan and open, then run the round. */
export function BreakoutsDialog(props: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const dialog = useModal(props.open, () => setError(undefined));

  /** Runs a leader action, shows its refusal, and reads the state again. */
  const act = async (work: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await work();
      await props.onChanged();
    } catch (err) {
      setError(isApiError(err) ? err.message : t('common.unreachable'));
    } finally {
      setBusy(false);
    }
  };

  const round = props.state.round;
  return (
    <dialog
      ref={dialog}
      class="breakouts-dialog"
      aria-labelledby="breakouts-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <div class="breakouts-head">
        <h2 id="breakouts-title">{t('breakouts.title')}</h2>
        <button type="button" class="secondary" onClick={props.onClose}>
          {t('breakouts.close')}
        </button>
      </div>
      <div role="alert">{error && <p class="field-error">{error}</p>}</div>
      {round ? <RoundView {...props} busy={busy} act={act} /> : <PlanForm {...props} busy={busy} act={act} />}
    </dialog>
  );
}

type Inner = Props & { busy: boolean; act: (work: () => Promise<unknown>) => Promise<void> };

/** Before opening: how many rooms, and a random split or one made by hand. */
function PlanForm({ api, learners, busy, act }: Inner) {
  const [count, setCount] = useState(2);
  const [mode, setMode] = useState<'random' | 'manual'>('random');
  const [picked, setPicked] = useState<Record<string, number>>({});
  const plan = spread(
    learners.map((l) => l.identity),
    count,
    picked,
  );
  const rooms = Array.from({ length: count }, (_, i) => i + 1);
  const submit = (event: Event) => {
    event.preventDefault();
    void act(() => api.breakoutAction('open', mode === 'random' ? { mode, count } : { mode, count, assignment: plan }));
  };
  return (
    <form onSubmit={submit} class="breakouts-plan">
      <label class="breakouts-field">
        {t('breakouts.count')}
        <input
          type="number"
          min={2}
          max={50}
          value={count}
          onInput={(e) => setCount(Math.min(50, Math.max(2, Number((e.target as HTMLInputElement).value) || 2)))}
        />
      </label>
      <fieldset>
        <legend>{t('breakouts.mode')}</legend>
        <label>
          <input type="radio" name="breakout-mode" checked={mode === 'random'} onChange={() => setMode('random')} />{' '}
          {t('breakouts.mode.random')}
        </label>
        <label>
          <input type="radio" name="breakout-mode" checked={mode === 'manual'} onChange={() => setMode('manual')} />{' '}
          {t('breakouts.mode.manual')}
        </label>
      </fieldset>
      {mode === 'manual' && (
        <ul class="breakouts-people" aria-label={t('breakouts.plan.label')}>
          {learners.length === 0 && <li>{t('breakouts.nobody')}</li>}
          {learners.map((l) => (
            <li key={l.identity}>
              <label>
                <span>{l.name}</span>
                <select
                  value={plan[l.identity]}
                  onChange={(e) => setPicked({ ...plan, [l.identity]: Number((e.target as HTMLSelectElement).value) })}
                >
                  {rooms.map((n) => (
                    <option key={n} value={n}>
                      {t('breakouts.room', { n })}
                    </option>
                  ))}
                </select>
              </label>
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="submit" disabled={busy} data-action="breakouts-open">
          {t('breakouts.open', { count })}
        </button>
      </div>
    </form>
  );
}

/** A round in progress: its rooms and people, visit, move, broadcast, close all. */
function RoundView({ api, state, here, now, busy, act, go }: Inner) {
  const round = state.round!;
  const [text, setText] = useState('');
  const [countdown, setCountdown] = useState<number>(30);
  const [sent, setSent] = useState(false);
  const closing = round.returnAt !== undefined;
  const options = round.rooms.map((r) => ({ n: r.room, title: t('breakouts.room', { n: r.room }) }));
  return (
    <div class="breakouts-round">
      {closing && <p role="status">{t('breakouts.closing', { time: countdownText(round.returnAt as string, now) })}</p>}
      <ul class="breakouts-rooms">
        {round.rooms.map((r) => {
          const title = t('breakouts.room', { n: r.room });
          return (
            <li key={r.room} data-room={r.room}>
              <div class="breakouts-room-head">
                <h3>{title}</h3>
                {!closing && (
                  <button
                    type="button"
                    class="secondary"
                    disabled={busy || here === r.room}
                    aria-label={t('breakouts.visit.label', { room: title })}
                    onClick={() => void act(() => go(r.room))}
                  >
                    {here === r.room ? t('breakouts.visiting') : t('breakouts.visit')}
                  </button>
                )}
              </div>
              <ul class="breakouts-people">
                {r.people.length === 0 && <li>{t('breakouts.empty')}</li>}
                {r.people.map((p) => (
                  <li key={p.identity}>
                    <label>
                      <span>{p.name}</span>
                      <select
                        disabled={busy || closing}
                        aria-label={t('breakouts.move.label', { name: p.name })}
                        value={r.room}
                        onChange={(e) => {
                          const room = Number((e.target as HTMLSelectElement).value);
                          void act(() => api.breakoutAction('move', { identity: p.identity, room }));
                        }}
                      >
                        {options.map((o) => (
                          <option key={o.n} value={o.n}>
                            {o.title}
                          </option>
                        ))}
                      </select>
                    </label>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
      {here !== 0 && (
        <button type="button" class="secondary" disabled={busy} onClick={() => void act(() => go(undefined))}>
          {t('breakouts.backToMain')}
        </button>
      )}
      {!closing && (
        <>
          <form
            class="breakouts-broadcast"
            onSubmit={(event) => {
              event.preventDefault();
              if (!text.trim()) return;
              void act(async () => {
                await api.breakoutAction('broadcast', { text: text.trim() });
                setText('');
                setSent(true);
              });
            }}
          >
            <label for="breakout-broadcast">{t('breakouts.broadcast')}</label>
            <textarea
              id="breakout-broadcast"
              maxLength={500}
              rows={2}
              value={text}
              onInput={(e) => {
                setText((e.target as HTMLTextAreaElement).value);
                setSent(false);
              }}
            />
            <div class="actions">
              <span role="status">{sent ? t('breakouts.broadcast.sent') : ''}</span>
              <button type="submit" disabled={busy || !text.trim()} data-action="breakouts-broadcast">
                {t('breakouts.broadcast.send')}
              </button>
            </div>
          </form>
          <div class="breakouts-close">
            <label>
              {t('breakouts.countdown')}
              <select value={countdown} onChange={(e) => setCountdown(Number((e.target as HTMLSelectElement).value))}>
                {COUNTDOWNS.map((s) => (
                  <option key={s} value={s}>
                    {s === 0 ? t('breakouts.countdown.now') : t('breakouts.countdown.seconds', { s })}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              class="danger"
              disabled={busy}
              data-action="breakouts-close"
              onClick={() => void act(() => api.breakoutAction('close', { countdownSeconds: countdown }))}
            >
              {t('breakouts.closeAll')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
