import type { ComponentChildren, Ref } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { AttendanceEntry } from '../api/contract';
import { t } from '../i18n';
import { minutesText, percentText, statusMark, statusText, timeText, type Clock } from './attendance-text';
import type { Loaded } from './use-load';

/**
 * A screen's heading, focused when the screen was reached from another one inside the view (not on the
 * view's first showing: then focus stays on the tab the user chose).
 */
export function ScreenHeading({ id, focus, children }: { id: string; focus: boolean; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, []);
  return (
    <h2 id={id} ref={heading as Ref<HTMLHeadingElement>} tabIndex={-1}>
      {children}
    </h2>
  );
}

/** "Loading…" the first time, or the failure with a Try again button. */
export function LoadNotice<T>({ loaded, onRetry }: { loaded: Loaded<T>; onRetry: () => void }) {
  if (loaded.state === 'loaded') return null;
  // A reload keeps the table it had: no "Loading…" flashing under it on every poll.
  if (loaded.state === 'loading')
    return loaded.data === undefined ? <p class="hint">{t('attendance.loading')}</p> : null;
  return (
    <div class="notice" role="alert">
      <p>{t('attendance.failed', { reason: loaded.message })}</p>
      <button type="button" class="secondary" onClick={onRetry}>
        {t('common.tryAgain')}
      </button>
    </div>
  );
}

/**
 * A table's own scrolling box: a wide table scrolls sideways inside it, not the page (an LMS frame can be
 * 800 px wide). Focusable, so keyboard users can scroll it too.
 */
export function TableBox({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-box" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A dash for an empty cell, read as "none". */
export function Empty() {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span class="visually-hidden">{t('attendance.none')}</span>
    </>
  );
}

export function StatusBadge({ status }: { status: AttendanceEntry['status'] }) {
  return (
    <span class={`status status-${status}`} data-status={status}>
      <span class="status-mark" aria-hidden="true">
        {statusMark(status)}
      </span>{' '}
      {statusText(status)}
    </span>
  );
}

export function TimeValue({ iso, clock }: { iso: string | undefined; clock: Clock }) {
  return iso ? <time dateTime={iso}>{timeText(iso, clock)}</time> : <Empty />;
}

/** The cells after the name: status, first join, last leave, minutes (with the inferred mark), %, joins. */
export function EntryCells({ entry, clock }: { entry: AttendanceEntry; clock: Clock }) {
  return (
    <>
      <td>
        <StatusBadge status={entry.status} />
      </td>
      <td>
        <TimeValue iso={entry.firstJoin} clock={clock} />
      </td>
      <td>
        <TimeValue iso={entry.lastLeave} clock={clock} />
      </td>
      <td class="num">
        {minutesText(entry.minutesPresent, clock)}
        {entry.inferred && (
          <span class="inferred" data-inferred="true">
            <span aria-hidden="true"> ≈</span>
            <span class="visually-hidden"> ({t('attendance.inferred')})</span>
          </span>
        )}
      </td>
      <td class="num">{percentText(entry.percentOfSession, clock)}</td>
      <td class="num">{entry.joins}</td>
    </>
  );
}

/** The footnotes a table needs: what "≈" and "Not on roster" mean, only when some row shows them. */
export function EntryNotes({ entries }: { entries: readonly AttendanceEntry[] }) {
  const inferred = entries.some((e) => e.inferred);
  const offRoster = entries.some((e) => !e.onRoster);
  if (!inferred && !offRoster) return null;
  return (
    <div class="table-notes">
      {inferred && <p class="hint">{t('attendance.inferred.note')}</p>}
      {offRoster && <p class="hint">{t('attendance.offRoster.note')}</p>}
    </div>
  );
}

export function OffRosterBadge() {
  return <span class="badge off-roster">{t('attendance.offRoster')}</span>;
}
