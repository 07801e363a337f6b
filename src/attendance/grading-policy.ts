/**
 * How attendance becomes points: pure functions, no I/O. The grade job and the teacher's preview both call
 * these, so what a teacher previews is what gets posted.
 *
 * A session's share is the part of that class session a learner was present, 0..1 (how it is measured is
 * attendance.ts's business). A share that is missing, not positive or not a finite number (a zero-length
 * session divided by zero) means absent from that session. Shares above 1 count as 1.
 *
 * One session's credit, 0..1:
 *   - fullCreditPercent X: 1 at a share >= X %, share / (X / 100) below it;
 *   - fullCreditPercent 'any' (the 'attended' choice): 1 for any time present.
 *
 * Cumulative scope: the score is the mean of per-session credits, each session weighing the same however
 * long it ran; a session the learner missed counts as credit 0. With bestOf N only the learner's N highest
 * credits are averaged (all sessions when there are fewer than N). Surplus time in one session does not make
 * up for another: credit is capped at 1 per session before averaging.
 *
 * The absent policy applies only to a learner absent from every session in scope: 'zero' posts 0,
 * 'not-graded' posts nothing. With no sessions in scope at all nothing is posted, whatever the policy.
 *
 * scoreGiven = maxPoints * credit, rounded to 2 decimals, never above maxPoints, never below 0.
 */
import { GRADING_DEFAULTS, type ActivitySettingsInput } from '../rooms/activity-settings.js';

export type AbsentPolicy = 'zero' | 'not-graded';
export type GradingScope = 'per-session' | 'cumulative';

export interface GradingPolicy {
  /** Percent of a session (1..100) that earns full points, proportional below; 'any': full points for any presence. */
  fullCreditPercent: number | 'any';
  absent: AbsentPolicy;
  scope: GradingScope;
  /** Cumulative only: average the learner's best N sessions; every session when unset. */
  bestOf?: number;
}

/** What an LTI AGS score carries; undefined in its place means no score is posted. */
export interface Score {
  scoreGiven: number;
  scoreMaximum: number;
}

/** A learner's share (0..1) of one session, undefined when absent. */
export type Share = number | undefined;

/** One class session in scope, with its length in minutes. */
export interface SessionLength {
  id: string;
  minutes: number;
}

export interface PreviewRow {
  userKey: string;
  name: string;
  sharesBySession: Record<string, Share>;
}

export interface PreviewLine {
  userKey: string;
  name: string;
  score: number | 'not-graded';
  scoreMaximum: number;
  /** Minutes present over the sessions in scope, and their total length (1 decimal). */
  attendedMinutes: number;
  totalMinutes: number;
  /** attendedMinutes of totalMinutes, whole percent rounded down (0 when the sessions had no length). */
  percent: number;
  sessionsAttended: number;
  /** How many sessions the score averages: bestOf when it applies, else every session in scope. */
  sessionsCounted: number;
  /** The comment posted with the score. */
  comment: string;
}

/** The policy an activity's grading settings choose; fields stored before they existed take their defaults. */
export function policyOf(grading: NonNullable<ActivitySettingsInput['grading']>): GradingPolicy {
  const policy = grading.policy ?? GRADING_DEFAULTS.policy;
  const fullCreditPercent =
    policy === 'attended'
      ? 'any'
      : policy === 'proportional'
        ? 100
        : (grading.thresholdPercent ?? GRADING_DEFAULTS.thresholdPercent);
  return {
    fullCreditPercent,
    absent: grading.absent ?? GRADING_DEFAULTS.absent,
    scope: grading.scope ?? GRADING_DEFAULTS.scope,
    ...(grading.bestOf !== undefined ? { bestOf: grading.bestOf } : {}),
  };
}

/**
 * The score for a learner's shares of the sessions in scope, or undefined when none is posted. A single
 * share is a one-session list; 'per-session' takes exactly one session.
 */
export function scoreFor(
  policy: GradingPolicy,
  maxPoints: number,
  shares: readonly Share[] | Share,
): Score | undefined {
  checkPolicy(policy, maxPoints);
  const list: readonly Share[] = Array.isArray(shares) ? shares : [shares as Share];
  if (policy.scope === 'per-session' && list.length > 1)
    throw new RangeError(`a per-session score takes one session, got ${list.length}`);
  const present = list.map(presentShare);
  if (present.length === 0) return undefined;
  if (present.every((s) => s === undefined)) {
    return policy.absent === 'zero' ? { scoreGiven: 0, scoreMaximum: maxPoints } : undefined;
  }
  const credits = present.map((s) => credit(policy, s)).sort((a, b) => b - a);
  const counted = credits.slice(0, countedSessions(policy, credits.length));
  const mean = counted.reduce((sum, c) => sum + c, 0) / counted.length;
  const scoreGiven = Math.max(0, Math.min(maxPoints, round2(maxPoints * mean)));
  return { scoreGiven, scoreMaximum: maxPoints };
}

/**
 * What a teacher sees before posting, one line per row. `sessions` are those in scope: the one session
 * being graded for 'per-session', the activity's sessions for 'cumulative'. Sessions of no length are left
 * out (nobody can attend them), so they neither lower a mean nor post a 0. A session missing from a row's
 * sharesBySession means absent from it.
 */
export function previewScores(
  policy: GradingPolicy,
  maxPoints: number,
  rows: readonly PreviewRow[],
  sessions: readonly SessionLength[],
): PreviewLine[] {
  const inScope = sessions.filter((s) => Number.isFinite(s.minutes) && s.minutes > 0);
  return rows.map((row) => {
    const shares = inScope.map((s) => row.sharesBySession[s.id]);
    const score = scoreFor(policy, maxPoints, shares);
    const present = shares.map(presentShare);
    const attended = inScope.reduce((sum, s, i) => sum + (present[i] ?? 0) * s.minutes, 0);
    const total = inScope.reduce((sum, s) => sum + s.minutes, 0);
    return {
      userKey: row.userKey,
      name: row.name,
      score: score?.scoreGiven ?? 'not-graded',
      scoreMaximum: maxPoints,
      attendedMinutes: round1(attended),
      totalMinutes: round1(total),
      percent: percentOf(attended, total),
      sessionsAttended: present.filter((s) => s !== undefined).length,
      sessionsCounted: countedSessions(policy, inScope.length),
      comment: scoreComment(
        attended,
        inScope.map((s) => s.minutes),
        countedSessions(policy, inScope.length),
      ),
    };
  });
}

/**
 * The comment posted with a score, e.g. "Attended 42 of 50 minutes (84 %)". Minutes and percent are rounded
 * down, so the comment never claims more than was attended. `sessions` are the lengths in minutes of the
 * sessions in scope; `counted` says how many the score averaged when that is fewer (bestOf).
 */
export function scoreComment(attendedMinutes: number, sessions: readonly number[], counted?: number): string {
  const lengths = sessions.filter((m) => Number.isFinite(m) && m > 0);
  const total = lengths.reduce((sum, m) => sum + m, 0);
  const attended = Math.min(total, Number.isFinite(attendedMinutes) ? Math.max(0, attendedMinutes) : 0);
  const totalShown = Math.round(total);
  const unit = totalShown === 1 ? 'minute' : 'minutes';
  const over = lengths.length > 1 ? ` over ${lengths.length} sessions` : '';
  const best =
    counted !== undefined && counted < lengths.length
      ? `; the best ${counted} ${counted === 1 ? 'session counts' : 'sessions count'}`
      : '';
  return `Attended ${floorSafe(attended)} of ${totalShown} ${unit}${over} (${percentOf(attended, total)} %)${best}`;
}

function checkPolicy(policy: GradingPolicy, maxPoints: number): void {
  if (!Number.isFinite(maxPoints) || maxPoints <= 0) throw new RangeError(`maxPoints must be > 0, got ${maxPoints}`);
  const x = policy.fullCreditPercent;
  if (x !== 'any' && !(Number.isFinite(x) && x > 0 && x <= 100))
    throw new RangeError(`fullCreditPercent must be in (0, 100], got ${x}`);
  if (policy.bestOf !== undefined && !(Number.isInteger(policy.bestOf) && policy.bestOf >= 1))
    throw new RangeError(`bestOf must be a whole number >= 1, got ${policy.bestOf}`);
}

/** The share as 0..1, or undefined when it means absent (missing, not positive, NaN, Infinity). */
function presentShare(share: Share): number | undefined {
  if (share === undefined || !Number.isFinite(share) || share <= 0) return undefined;
  return Math.min(1, share);
}

function credit(policy: GradingPolicy, share: number | undefined): number {
  if (share === undefined) return 0;
  if (policy.fullCreditPercent === 'any') return 1;
  return Math.min(1, share / (policy.fullCreditPercent / 100));
}

function countedSessions(policy: GradingPolicy, sessions: number): number {
  return policy.scope === 'cumulative' && policy.bestOf !== undefined ? Math.min(policy.bestOf, sessions) : sessions;
}

function percentOf(part: number, whole: number): number {
  return whole > 0 ? floorSafe((part / whole) * 100) : 0;
}

/** Rounds half up at 2 decimals without binary noise (1.005 -> 1.01). */
function round2(x: number): number {
  return Math.round(Number((x * 100).toPrecision(12))) / 100;
}

function round1(x: number): number {
  return Math.round(Number((x * 10).toPrecision(12))) / 10;
}

/** Math.floor that does not drop a whole unit to binary noise (0.8 * 50 = 40, not 39). */
function floorSafe(x: number): number {
  return Math.floor(Number(x.toPrecision(12)));
}
