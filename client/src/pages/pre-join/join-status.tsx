import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n';
import type { Refusal } from '../join-refusal';
import './join-status.css';

interface Props {
  /** The last refusal, if the last attempt was refused. */
  refusal?: (Refusal & { code: string }) | undefined;
  /** When the page asks again by itself (for `auto` refusals). */
  nextTryAt?: number | undefined;
  pending: boolean;
  /** Bumped on each click of Join: the answer then takes the focus (and scrolls into view). */
  attempt: number;
  onJoin: () => void;
}

/** Above this, no countdown: "this page lets you in by itself" (a class opening tomorrow). */
const COUNTDOWN_MAX_MS = 5 * 60_000;

/**
 * The Join button, or in its place why joining did not work and what happens next. While the page asks
 * again by itself there is no button: it says so, with the next attempt. The refusal takes the focus after a
 * click, so it is read out and on screen where the user was looking.
 */
export function JoinStatus({ refusal, nextTryAt, pending, attempt, onJoin }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const focusedFor = useRef(0);
  useEffect(() => {
    if (!refusal || pending || focusedFor.current === attempt) return;
    focusedFor.current = attempt;
    box.current?.focus();
  });

  const auto = refusal?.retry === 'auto';
  return (
    <div class="join-status" data-code={refusal?.code} data-retry={refusal?.retry}>
      {/* Always in the page, so the first refusal is announced; the countdown stays outside it. */}
      <div
        ref={box}
        tabIndex={-1}
        role="status"
        aria-live="polite"
        class={refusal ? `join-message${refusal.serverFault ? ' fault' : ''}` : undefined}
      >
        {refusal && (
          <>
            {refusal.code === 'ROOM_WAITING_FOR_INSTRUCTOR' && (
              <p class="join-headline">{t('prejoin.waitingForTeacher')}</p>
            )}
            <p>{refusal.message}</p>
          </>
        )}
      </div>
      {auto ? (
        <Retrying at={nextTryAt} pending={pending} />
      ) : (
        <div class="actions">
          <button type="button" onClick={onJoin} aria-disabled={pending ? 'true' : undefined}>
            {t(pending ? 'prejoin.joining' : refusal?.retry === 'manual' ? 'common.tryAgain' : 'prejoin.join')}
          </button>
        </div>
      )}
    </div>
  );
}

/** "We keep trying. Next try in 4 s." — ticks each second, outside the live region. */
function Retrying({ at, pending }: { at: number | undefined; pending: boolean }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = at === undefined ? undefined : Math.max(0, at - now);
  let text: string;
  if (pending || left === 0) text = t('prejoin.retryingNow');
  else if (left === undefined || left > COUNTDOWN_MAX_MS) text = t('prejoin.retryingLater');
  else text = t('prejoin.retryingIn', { seconds: Math.ceil(left / 1000) });
  return (
    <p class="join-retrying" data-testid="join-retrying">
      <span class="join-spinner" aria-hidden="true" />
      {text}
    </p>
  );
}
