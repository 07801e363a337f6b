import type { Role } from '../rooms/grants.js';
import type { ParticipantEvent } from '../rooms/room-store.js';
import { clip, mergeIntervals, totalMs, type Interval } from './intervals.js';
import { sessionWindow, type AttendedSession, type SessionWindow } from './session-window.js';
import { visitsOf } from './visits.js';

export type { Interval } from './intervals.js';
export type { AttendedSession } from './session-window.js';

/** A join or leave as the room store records it (the room key does not matter here). */
export type AttendanceFact = Pick<
  ParticipantEvent,
  'eventId' | 'sessionId' | 'identity' | 'name' | 'role' | 'kind' | 'at'
>;

/** Who the SFU itself says is connected, read when the session ends: it fills in for lost webhooks. */
export interface SfuSnapshot {
  at: Date;
  present: ReadonlyArray<{ identity: string; name: string; joinedAt?: Date }>;
}

export interface AttendanceOptions {
  /** A leave and a join this close together are one visit (a network drop, a reload, a second tab). */
  reconnectGraceMs?: number;
  lateGraceMs?: number;
  leftEarlyGraceMs?: number;
  /** Where a session that has not ended yet stops counting; see sessionWindow for the fallback. */
  now?: Date;
  reconcile?: SfuSnapshot;
}

export const DEFAULT_RECONNECT_GRACE_MS = 60_000;
export const DEFAULT_LATE_GRACE_MS = 5 * 60_000;
export const DEFAULT_LEFT_EARLY_GRACE_MS = 5 * 60_000;

/**
 * One model: `late` and `leftEarly` are the facts, and `status` is their combination for display and for
 * grading policies; 'absent' is someone with no time in the session (both flags are then false).
 */
export type AttendanceStatus = 'present' | 'late' | 'left-early' | 'late-and-left-early' | 'absent';

export interface AttendanceRecord {
  /**
   * The LiveKit identity. It is one per user (identityFor(platform, userId), no device part) and LiveKit
   * keeps one connection per identity, so grouping by it groups by person; a second tab replaces the
   * first, which reaches us as a leave and a join in the same second and merges as a reconnect.
   */
  userKey: string;
  /** The latest display name seen. */
  name: string;
  /** The latest role seen on the SFU; undefined when no fact carried one. */
  role?: Role;
  /** Sorted, disjoint, clipped to the session; reconnects merged. */
  intervals: Interval[];
  firstJoin?: Date;
  /** The end of the last interval: the session's end (or `now`) for someone still there. */
  lastLeave?: Date;
  msPresent: number;
  /** Whole minutes, rounded to the nearest; msPresent is the exact figure. */
  minutesPresent: number;
  /** msPresent over the session's length, 0..1; 0 for a session of no length. */
  shareOfSession: number;
  /** Distinct visits after merging reconnects. */
  joins: number;
  late: boolean;
  leftEarly: boolean;
  status: AttendanceStatus;
  /** Some of the time rests on a lost webhook: a leave without its join, a leave that never came, the SFU's list. */
  inferred: boolean;
}

const ROLES: ReadonlySet<string> = new Set<Role>(['instructor', 'participant', 'observer']);

/** Each person's attendance of one class session, sorted by name. Pure: the same input gives the same rows. */
export function attendanceOf(
  session: AttendedSession,
  facts: readonly AttendanceFact[],
  options: AttendanceOptions = {},
): AttendanceRecord[] {
  const mine = uniqueFacts(facts, session.sessionId);
  const window = sessionWindow(session, mine, options);
  const people = byPerson(mine);
  const sfu = new Map((options.reconcile?.present ?? []).map((p) => [p.identity, p]));
  const keys = new Set([...people.keys(), ...sfu.keys()]);

  return [...keys]
    .map((userKey) => personOf(userKey, people.get(userKey) ?? [], sfu.get(userKey), window, options))
    .sort((a, b) => a.name.localeCompare(b.name) || a.userKey.localeCompare(b.userKey));
}

/** One person's record from their facts and, when the SFU listed them, what it said. */
function personOf(
  userKey: string,
  trail: readonly AttendanceFact[],
  seen: SfuSnapshot['present'][number] | undefined,
  window: SessionWindow,
  options: AttendanceOptions,
): AttendanceRecord {
  const visits = visitsOf(trail, window);
  let inferred = visits.lostJoin || (visits.open && window.ended && !seen);
  const raw = [...visits.intervals];
  if (seen) {
    // The SFU only ever adds time: a missing leave already runs to the end, so nothing is taken away.
    raw.push({ from: seen.joinedAt ?? visits.lastAt ?? window.start, to: window.end });
    inferred ||= !visits.open;
  }
  const intervals = mergeIntervals(
    raw.map((i) => clip(i, window.start, window.end)).filter((i) => i !== undefined),
    options.reconnectGraceMs ?? DEFAULT_RECONNECT_GRACE_MS,
  );
  const name = trail.at(-1)?.name ?? seen?.name ?? userKey;
  const role = trail.findLast((f) => f.role !== undefined && ROLES.has(f.role))?.role as Role | undefined;
  return recordOf({ userKey, name, role, intervals, inferred }, window, options);
}

/** The flags combined into one status (see AttendanceStatus). */
export function statusOf(attended: boolean, late: boolean, leftEarly: boolean): AttendanceStatus {
  if (!attended) return 'absent';
  if (late && leftEarly) return 'late-and-left-early';
  return late ? 'late' : leftEarly ? 'left-early' : 'present';
}

/**
 * Webhooks are retried, so a fact can arrive twice (same eventId): it counts once. Facts of another session
 * are not this one's; a fact without a session id (a leave before any session was recorded) may still be.
 */
function uniqueFacts(facts: readonly AttendanceFact[], sessionId: string): AttendanceFact[] {
  const seen = new Map<string, AttendanceFact>();
  for (const f of facts) {
    if (f.sessionId !== undefined && f.sessionId !== sessionId) continue;
    if (!seen.has(f.eventId)) seen.set(f.eventId, f);
  }
  return [...seen.values()];
}

/** Facts per identity in time order, whatever order they were delivered in. */
function byPerson(facts: readonly AttendanceFact[]): Map<string, AttendanceFact[]> {
  const people = new Map<string, AttendanceFact[]>();
  const sorted = [...facts].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const f of sorted) {
    const trail = people.get(f.identity);
    if (trail) trail.push(f);
    else people.set(f.identity, [f]);
  }
  return people;
}

interface Attended {
  userKey: string;
  name: string;
  role?: Role;
  intervals: Interval[];
  inferred: boolean;
}

function recordOf(a: Attended, window: SessionWindow, options: AttendanceOptions): AttendanceRecord {
  const msPresent = totalMs(a.intervals);
  const firstJoin = a.intervals[0]?.from;
  const lastLeave = a.intervals.at(-1)?.to;
  const lateAfter = window.expectedStart.getTime() + (options.lateGraceMs ?? DEFAULT_LATE_GRACE_MS);
  const earlyBefore = window.end.getTime() - (options.leftEarlyGraceMs ?? DEFAULT_LEFT_EARLY_GRACE_MS);
  const late = firstJoin !== undefined && firstJoin.getTime() > lateAfter;
  // Only an ended session has an end to leave early from; until then everyone may still come back.
  const leftEarly = window.ended && lastLeave !== undefined && lastLeave.getTime() < earlyBefore;
  const length = window.end.getTime() - window.start.getTime();
  return {
    ...a,
    firstJoin,
    lastLeave,
    msPresent,
    minutesPresent: Math.round(msPresent / 60_000),
    shareOfSession: length > 0 ? Math.min(1, msPresent / length) : 0,
    joins: a.intervals.length,
    late,
    leftEarly,
    status: statusOf(a.intervals.length > 0, late, leftEarly),
  };
}
