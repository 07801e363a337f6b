import { percentOf } from '../attendance/attendance-csv.js';
import type { Entry, SessionTable } from '../attendance/class-attendance.js';
import type { Interval } from '../attendance/intervals.js';
import type { Space } from './space-store.js';
import { outboxEventId, type WebhookPayload } from './webhook-outbox.js';

/**
 * The integrator API's attendance JSON (snake_case, documented in docs/integrator-api.md): a room's class
 * sessions, who attended one, and the `attendance.ready` webhook.
 */

export interface SessionJson {
  session_id: string;
  started_at: string;
  ended_at: string | null;
  duration_minutes: number;
  final: boolean;
  /** People with any time in the session. */
  participants_count: number;
  /** The most people present at once. */
  peak_participants: number;
  /** Connected now, for the room's open session (as live-sessions' currentPeerCount); null once ended. */
  current_peer_count: number | null;
}

export function sessionJson(t: Pick<SessionTable, 'summary'>, people: readonly Entry[], currentPeers?: number) {
  const s = t.summary;
  const json: SessionJson = {
    session_id: s.sessionId,
    started_at: s.startedAt.toISOString(),
    ended_at: s.endedAt?.toISOString() ?? null,
    duration_minutes: s.minutes,
    final: s.final,
    participants_count: people.filter((e) => e.msPresent > 0).length,
    peak_participants: peakOf(people.map((e) => e.intervals)),
    current_peer_count: s.endedAt ? null : (currentPeers ?? 0),
  };
  return json;
}

export function participantJson(e: Entry) {
  return {
    user_id: e.userKey,
    name: e.name,
    role: e.role ?? null,
    status: e.status,
    first_join: e.firstJoin?.toISOString() ?? null,
    last_leave: e.lastLeave?.toISOString() ?? null,
    minutes_present: e.minutesPresent,
    percent_of_session: percentOf(e.shareOfSession),
    joins: e.joins,
    late: e.late,
    left_early: e.leftEarly,
    inferred: e.inferred,
    intervals: e.intervals.map((i) => ({ from: i.from.toISOString(), to: i.to.toISOString() })),
  };
}

/** The most intervals (one list per person, each disjoint) that overlap at any moment. */
export function peakOf(people: ReadonlyArray<readonly Interval[]>): number {
  // A leave at the very moment of another's join is not an overlap: ends sort before starts.
  const edges = people
    .flat()
    .flatMap((i) => [
      { at: i.from.getTime(), step: 1 },
      { at: i.to.getTime(), step: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let peak = 0;
  for (const e of edges) {
    now += e.step;
    peak = Math.max(peak, now);
  }
  return peak;
}

/** What `attendance.ready` says of a session: counts only; the people are at `participants_url`. */
export function attendanceReadyPayload(
  space: Pick<Space, 'spaceId' | 'roomKey'>,
  table: SessionTable,
  participantsUrl: string,
  at: Date,
): WebhookPayload {
  const people = [...table.learners, ...table.others].filter((e) => e.msPresent > 0);
  const count = (keep: (e: Entry) => boolean) => people.filter(keep).length;
  return {
    id: outboxEventId(table.summary.sessionId, 'attendance.ready'),
    type: 'attendance.ready',
    created_at: at.toISOString(),
    space_id: space.spaceId,
    room_id: space.roomKey,
    session_id: table.summary.sessionId,
    attendance: {
      started_at: table.summary.startedAt.toISOString(),
      ended_at: table.summary.endedAt?.toISOString() ?? null,
      duration_minutes: table.summary.minutes,
      participants_count: people.length,
      peak_participants: peakOf(people.map((e) => e.intervals)),
      by_role: {
        instructor: count((e) => e.role === 'instructor'),
        participant: count((e) => e.role === 'participant'),
        observer: count((e) => e.role === 'observer'),
      },
      late_count: count((e) => e.late),
      left_early_count: count((e) => e.leftEarly),
      inferred_count: count((e) => e.inferred),
      participants_url: participantsUrl,
    },
  };
}
