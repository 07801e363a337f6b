/**
 * Sorting an attendance table by any of its columns. Imports nothing (Node unit tests load it as is), so
 * the row shape is AttendanceEntry's fields spelled out.
 */

export type SortColumn = 'name' | 'status' | 'firstJoin' | 'lastLeave' | 'minutes' | 'percent' | 'joins';
export type SortDirection = 'ascending' | 'descending';
export interface Sort {
  column: SortColumn;
  direction: SortDirection;
}

export type Status = 'present' | 'late' | 'left-early' | 'late-and-left-early' | 'absent';

export interface SortableEntry {
  name: string;
  status: Status;
  firstJoin?: string | undefined;
  lastLeave?: string | undefined;
  minutesPresent: number;
  percentOfSession: number;
  joins: number;
}

/** The table's first look: by name, as a roster reads. */
export const DEFAULT_SORT: Sort = { column: 'name', direction: 'ascending' };

/** From best to worst attendance, so "ascending" puts the present first and the absent last. */
const STATUS_RANK: Record<Status, number> = {
  present: 0,
  late: 1,
  'left-early': 2,
  'late-and-left-early': 3,
  absent: 4,
};

type Key = string | number | undefined;

const keyOf = (e: SortableEntry, column: SortColumn): Key => {
  switch (column) {
    case 'name':
      return e.name;
    case 'status':
      return STATUS_RANK[e.status];
    case 'firstJoin':
      return e.firstJoin ? Date.parse(e.firstJoin) : undefined;
    case 'lastLeave':
      return e.lastLeave ? Date.parse(e.lastLeave) : undefined;
    case 'minutes':
      return e.minutesPresent;
    case 'percent':
      return e.percentOfSession;
    case 'joins':
      return e.joins;
  }
};

/**
 * The entries in `sort`'s order, as a new array. Someone with no time (an absentee has no first join) stays
 * at the bottom in either direction: flipping the order should bring the earliest arrivals up, not the
 * absent. Ties fall back to the name, then to the given order, so the table never shuffles between renders.
 */
export function sortEntries<T extends SortableEntry>(
  entries: readonly T[],
  sort: Sort,
  collator: Intl.Collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }),
): T[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const compare = (a: Key, b: Key): number =>
    typeof a === 'string' && typeof b === 'string' ? collator.compare(a, b) : Number(a) - Number(b);
  return entries
    .map((entry, index) => ({ entry, index, key: keyOf(entry, sort.column) }))
    .sort((a, b) => {
      if (a.key === undefined || b.key === undefined) {
        if (a.key !== b.key) return a.key === undefined ? 1 : -1;
      } else {
        const byKey = compare(a.key, b.key);
        if (byKey !== 0) return sign * byKey;
      }
      return collator.compare(a.entry.name, b.entry.name) || a.index - b.index;
    })
    .map((x) => x.entry);
}

/** The sort after a click on `column`'s header: the same column flips, another starts ascending. */
export function nextSort(current: Sort, column: SortColumn): Sort {
  if (current.column !== column) return { column, direction: 'ascending' };
  return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

/** The header's aria-sort: only the sorted column carries one (ARIA asks for one at a time). */
export const ariaSortOf = (sort: Sort, column: SortColumn): SortDirection | undefined =>
  sort.column === column ? sort.direction : undefined;
