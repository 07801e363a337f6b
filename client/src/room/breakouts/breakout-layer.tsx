import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../api/client';
import type { BreakoutPush, BreakoutState, BreakoutTopic, MeResponse } from '../../api/contract';
import type { JoinGrant } from '../../api/room-types';
import { t } from '../../i18n';
import { participantsOf } from '../participant-model';
import type { RoomConnection } from '../room-connection';
import { countdownText, roomNumberOf, targetRoom, titleOf } from './breakout-model';
import { BreakoutsDialog } from './breakouts-panel';
import './breakouts.css';

/** Typed by the server's, so the two cannot drift apart. */
export const BREAKOUT_TOPIC: BreakoutTopic = 'breakout';
/** A missed push only delays: the state is read again this often anyway. */
const POLL_MS = 15_000;
const TOAST_MS = 15_000;

interface Props {
  api: ApiClient;
  me: MeResponse;
  conn: RoomConnection;
  grant: JoinGrant;
  visit: number | undefined;
  go: (visit?: number) => Promise<void>;
}

/** Reads the breakout state, follows it (switching rooms), and shows the banner, the broadcasts and the leader's panel. */
export function BreakoutLayer({ api, me, conn, grant, visit, go }: Props) {
  const leader = me.user.role === 'instructor';
  // Unknown until read: a page that just switched rooms must not act on "no round" before it knows.
  const [loaded, setLoaded] = useState<BreakoutState>();
  const state = loaded ?? { place: 0 };
  const [now, setNow] = useState(Date.now());
  const [toast, setToast] = useState<{ from: string; text: string }>();
  const [open, setOpen] = useState(false);
  const here = roomNumberOf(grant.room);
  const refresh = () =>
    api.breakoutState().then(
      (s) => setLoaded(s),
      () => undefined,
    );

  useEffect(() => {
    void refresh();
    const poll = setInterval(() => void refresh(), POLL_MS);
    const off = conn.on('data', (message, topic) => {
      if (topic !== BREAKOUT_TOPIC) return;
      const push = message as Partial<BreakoutPush>;
      if (push.type === 'broadcast' && typeof push.text === 'string') {
        setToast({ from: String(push.from ?? ''), text: push.text });
      } else void refresh();
    });
    return () => {
      clearInterval(poll);
      off();
    };
  }, [conn]);

  // The countdown ticks, and its end sends everyone back even if the last push is lost.
  const returnAt = state.round?.returnAt;
  useEffect(() => {
    if (!returnAt) return;
    const tick = setInterval(() => {
      setNow(Date.now());
      if (Date.parse(returnAt) <= Date.now()) void refresh();
    }, 1_000);
    return () => clearInterval(tick);
  }, [returnAt]);

  const target = targetRoom(state, leader, visit, now);
  useEffect(() => {
    if (loaded && target !== here) go(leader && target ? target : undefined).catch(() => undefined);
  }, [target, here, loaded !== undefined]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(undefined), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast]);

  const title = titleOf(state, here) && t('breakouts.room', { n: here });
  const learners = participantsOf(conn.room)
    .filter((p) => p.role === 'participant' && !p.isLocal)
    .map((p) => ({ identity: p.identity, name: p.name }));

  return (
    <>
      <div class="breakout-bar">
        {title && (
          <p class="breakout-banner" role="status" data-testid="breakout-banner">
            {returnAt
              ? t('breakouts.banner.returning', { room: title, time: countdownText(returnAt, now) })
              : t('breakouts.banner.in', { room: title })}
          </p>
        )}
        {leader && (
          <button type="button" class="secondary breakout-open" aria-haspopup="dialog" onClick={() => setOpen(true)}>
            {state.round ? t('breakouts.button.active', { count: state.round.count }) : t('breakouts.button')}
          </button>
        )}
      </div>
      <div class="breakout-toast" role="status" aria-live="polite">
        {toast && (
          <div class="breakout-toast-body" data-testid="breakout-broadcast">
            <p>
              <strong>{t('breakouts.broadcast.from', { name: toast.from })}</strong> {toast.text}
            </p>
            <button type="button" class="secondary" onClick={() => setToast(undefined)}>
              {t('breakouts.broadcast.dismiss')}
            </button>
          </div>
        )}
      </div>
      {leader && (
        <BreakoutsDialog
          open={open}
          onClose={() => setOpen(false)}
          api={api}
          state={state}
          learners={learners}
          here={here}
          now={now}
          onChanged={refresh}
          go={go}
        />
      )}
    </>
  );
}
