import { stringify } from 'csv-stringify/sync';
import type { Entry, SessionSummary } from './class-attendance.js';

/**
 * The export's columns, in this order, named in English whatever the user's language (spreadsheets and
 * scripts key on them); documented in docs/attendance.md. Times are ISO 8601 UTC; empty when absent.
 */
export const CSV_COLUMNS = [
  'session_id',
  'session_start',
  'session_end',
  'session_minutes',
  'user_id',
  'name',
  'role',
  'on_roster',
  'status',
  'first_join',
  'last_leave',
  'minutes_present',
  'percent_of_session',
  'joins',
  'late',
  'left_early',
  'inferred',
] as const;

/** Excel only reads a CSV as UTF-8 when it starts with a byte order mark. */
const BOM = '\uFEFF';

export function attendanceCsv(summary: SessionSummary, entries: readonly Entry[]): string {
  const iso = (d: Date | undefined) => d?.toISOString() ?? '';
  const rows = entries.map((e) => [
    summary.sessionId,
    iso(summary.startedAt),
    iso(summary.endedAt),
    summary.minutes,
    e.userId ?? '',
    e.name,
    e.role ?? '',
    e.onRoster,
    e.status,
    iso(e.firstJoin),
    iso(e.lastLeave),
    e.minutesPresent,
    percentOf(e.shareOfSession),
    e.joins,
    e.late,
    e.leftEarly,
    e.inferred,
  ]);
  // A name starting with = + - @ would run as a formula when a spreadsheet opens the file: a leading
  // apostrophe keeps it text (OWASP's advice on CSV injection).
  const safe = rows.map((r) => r.map((v) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v)));
  return BOM + stringify([[...CSV_COLUMNS], ...safe], { cast: { boolean: (b) => (b ? 'true' : 'false') } });
}

/** Whole percent, rounded down: the table never claims more than was attended. */
export const percentOf = (share: number): number => Math.floor(Math.max(0, Math.min(1, share)) * 100 + 1e-9);
