import { useMemo, useState } from 'preact/hooks';
import type { AttendanceEntry } from '../api/contract';
import { t, type MessageKey } from '../i18n';
import { ariaSortOf, DEFAULT_SORT, nextSort, sortEntries, type Sort, type SortColumn } from './attendance-sort';
import { EntryCells, OffRosterBadge, TableBox } from './attendance-parts';
import { roleText, type Clock } from './attendance-text';

/** Right-aligned, like their cells, so the header sits over the digits. */
const NUMERIC: ReadonlySet<SortColumn> = new Set(['minutes', 'percent', 'joins']);

const COLUMNS: ReadonlyArray<[SortColumn, MessageKey]> = [
  ['name', 'attendance.col.name'],
  ['status', 'attendance.col.status'],
  ['firstJoin', 'attendance.col.firstJoin'],
  ['lastLeave', 'attendance.col.lastLeave'],
  ['minutes', 'attendance.col.minutes'],
  ['percent', 'attendance.col.percent'],
  ['joins', 'attendance.col.joins'],
];

interface Props {
  caption: string;
  entries: readonly AttendanceEntry[];
  clock: Clock;
  /** Show each person's role next to the name (the "Others" table mixes teachers and observers). */
  showRole?: boolean;
  onPerson: (entry: AttendanceEntry) => void;
}

/** One session's people, sortable by every column (a header button; aria-sort says the current order). */
export function EntryTable({ caption, entries, clock, showRole = false, onPerson }: Props) {
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const collator = useMemo(() => new Intl.Collator(clock.locale, { sensitivity: 'base', numeric: true }), [clock]);
  const rows = sortEntries(entries, sort, collator);
  return (
    <TableBox label={caption}>
      <table class="attendance-table" data-sort={`${sort.column}:${sort.direction}`}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {COLUMNS.map(([column, label]) => {
              const direction = ariaSortOf(sort, column);
              return (
                <th
                  key={column}
                  scope="col"
                  class={NUMERIC.has(column) ? 'num' : undefined}
                  aria-sort={direction}
                  data-column={column}
                >
                  <button type="button" class="sort" onClick={() => setSort(nextSort(sort, column))}>
                    {t(label)}
                    <span class="sort-mark" aria-hidden="true">
                      {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((entry) => (
            <tr key={entry.userKey} data-user-key={entry.userKey} data-status={entry.status}>
              <th scope="row">
                <button
                  type="button"
                  class="link"
                  aria-label={t('attendance.person.open', { name: entry.name })}
                  onClick={() => onPerson(entry)}
                >
                  {entry.name}
                </button>
                {showRole && entry.role && <span class={`badge role-${entry.role}`}>{roleText(entry.role)}</span>}
                {!entry.onRoster && <OffRosterBadge />}
              </th>
              <EntryCells entry={entry} clock={clock} />
            </tr>
          ))}
        </tbody>
      </table>
    </TableBox>
  );
}
