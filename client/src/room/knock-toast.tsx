import { useEffect, useRef, useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type { WaitingEntry } from '../api/room-types';
import { t, tp } from '../i18n';
import { newKnocks } from './badges';
import { knockSoundOn, playKnock, setKnockSound } from './chime';
import './people.css';

/** How long a knock stays on screen, unless the pointer or the focus is on it. */
export const KNOCK_TOAST_MS = 10_000;

interface Props {
  api: ApiClient;
  /** The waiting queue as the page holds it (useLeaderState). */
  waiting: WaitingEntry[];
  /** The People panel is open: its waiting list tells the news itself, so no toast. */
  peopleOpen: boolean;
  /** The server admitted `identity` (the page drops them from its queue). */
  onAdmitted: (identity: string) => void;
}

/**
 * For instructors: "<name> is waiting to join." with an inline Admit and a dismiss, when someone new
 * knocks while the People panel is closed. Said politely to screen readers (the status region is always
 * there, so its new text is announced), and gone after KNOCK_TOAST_MS unless hovered or focused.
 */
export function KnockToast({ api, waiting, peopleOpen, onAdmitted }: Props) {
  const before = useRef<WaitingEntry[]>();
  const [knock, setKnock] = useState<WaitingEntry>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [held, setHeld] = useState(false);
  const [sound, setSound] = useState(knockSoundOn);
  /** Where the focus was before it entered the toast: it goes back there when the toast's buttons go. */
  const returnTo = useRef<HTMLElement | null>(null);
  const region = useRef<HTMLDivElement>(null);
  const giveFocusBack = () => {
    if (region.current?.contains(document.activeElement)) returnTo.current?.focus();
    setHeld(false);
  };

  useEffect(() => {
    const arrived = newKnocks(before.current, waiting);
    before.current = waiting;
    // Heard with any panel open: the teacher may be looking at the class, not at the list.
    if (arrived.length > 0) playKnock();
    if (peopleOpen) {
      setKnock(undefined);
      setDone(undefined);
      return;
    }
    const latest = arrived[arrived.length - 1];
    if (latest) {
      setKnock(latest);
      setError(undefined);
      setDone(undefined);
    } else if (knock && !waiting.some((w) => w.identity === knock.identity)) {
      // Let in or declined elsewhere (the panel, another teacher), or gone: nothing to act on any more.
      setKnock(undefined);
    }
  }, [waiting, peopleOpen]);

  // A shown knock goes away by itself, and so does the word that it was let in.
  useEffect(() => {
    if ((!knock && !done) || held || busy) return;
    const timer = setTimeout(() => {
      setKnock(undefined);
      setDone(undefined);
    }, KNOCK_TOAST_MS);
    return () => clearTimeout(timer);
  }, [knock?.identity, done, held, busy]);

  const admit = async (entry: WaitingEntry) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.waitingAction(entry.identity, 'admit');
      onAdmitted(entry.identity);
      giveFocusBack();
      setKnock(undefined);
      setDone(t('people.knock.admitted', { name: entry.name }));
    } catch (err) {
      setError(isApiError(err) ? err.message : t('common.unreachable'));
    } finally {
      setBusy(false);
    }
  };

  const others = knock ? waiting.filter((w) => w.identity !== knock.identity).length : 0;
  // The status region is always there (empty, it takes no room), so what appears in it is announced.
  return (
    <div
      class="knock-toast"
      role="status"
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      ref={region}
      onFocusIn={(event) => {
        const from = event.relatedTarget as HTMLElement | null;
        if (!region.current?.contains(from)) returnTo.current = from;
        setHeld(true);
      }}
      onFocusOut={() => setHeld(false)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && knock) {
          giveFocusBack();
          setKnock(undefined);
        }
      }}
    >
      {knock && (
        <div class="knock-body" data-identity={knock.identity}>
          <p>
            {t('people.knock.waiting', { name: knock.name })}
            {others > 0 && <> {tp('people.knock.more', others)}</>}
          </p>
          {error && <p class="field-error">{error}</p>}
          <div class="knock-actions">
            <button
              type="button"
              disabled={busy}
              aria-busy={busy ? 'true' : undefined}
              aria-label={t('people.knock.admit.of', { name: knock.name })}
              onClick={() => void admit(knock)}
            >
              {t('people.knock.admit')}
            </button>
            <button
              type="button"
              class="secondary"
              aria-pressed={sound ? 'true' : 'false'}
              title={t('people.knock.sound')}
              onClick={() => {
                setKnockSound(!sound);
                setSound(!sound);
              }}
            >
              {t('people.knock.sound')}
            </button>
            <button
              type="button"
              class="secondary"
              aria-label={t('people.knock.dismiss')}
              title={t('people.knock.dismiss')}
              onClick={() => {
                giveFocusBack();
                setKnock(undefined);
              }}
            >
              <span aria-hidden="true">×</span>
            </button>
          </div>
        </div>
      )}
      {!knock && done && <p class="knock-body">{done}</p>}
    </div>
  );
}
