import type { Role } from '../rooms/grants.js';
import type { AttendanceRecord } from './attendance.js';

/**
 * Someone the course says should attend. `userKey` must be in the records' terms, the LiveKit identity
 * (identityIn(owner, userId)): the caller maps LMS user ids, since only it knows the room's owner.
 */
export interface RosterMember {
  userKey: string;
  name: string;
  role: Role;
}

export interface AttendanceRow extends AttendanceRecord {
  /** False for someone who attended but is not on the roster (a guest, someone since unenrolled). */
  onRoster: boolean;
}

/**
 * A row for everyone on the roster, absentees included, and for everyone who came though not on it.
 * The roster's name and role win: the LMS knows who a person is better than their display name does.
 * Learners are participants; instructors, observers and people of unknown role are kept apart, so a grade
 * is only ever computed for a learner.
 */
export function withRoster(
  records: readonly AttendanceRecord[],
  roster: readonly RosterMember[],
): { learners: AttendanceRow[]; others: AttendanceRow[] } {
  const attended = new Map(records.map((r) => [r.userKey, r]));
  const members = new Map<string, RosterMember>();
  for (const m of roster) if (!members.has(m.userKey)) members.set(m.userKey, m);

  const rows: AttendanceRow[] = [...members.values()].map((m) => {
    const r = attended.get(m.userKey) ?? absent(m);
    return { ...r, name: m.name, role: m.role, onRoster: true };
  });
  for (const r of records) if (!members.has(r.userKey)) rows.push({ ...r, onRoster: false });
  rows.sort((a, b) => a.name.localeCompare(b.name) || a.userKey.localeCompare(b.userKey));
  return {
    learners: rows.filter((r) => r.role === 'participant'),
    others: rows.filter((r) => r.role !== 'participant'),
  };
}

/** The record of someone with no time in the session. */
export function absent(m: { userKey: string; name: string; role?: Role }): AttendanceRecord {
  return {
    userKey: m.userKey,
    name: m.name,
    ...(m.role ? { role: m.role } : {}),
    intervals: [],
    msPresent: 0,
    minutesPresent: 0,
    shareOfSession: 0,
    joins: 0,
    late: false,
    leftEarly: false,
    status: 'absent',
    inferred: false,
  };
}
