/**
 * The words and numbers of the attendance and grade views: statuses, the grading policy as a sentence, where
 * a grade stands in the LMS, times in the user's zone. DOM-free, so mocha tests it under Node.
 */
import type { AttendanceStatus, GradeLine, GradesResponse, Role, SessionAttendanceResponse } from '../api/contract';
import { t, tp, type MessageKey } from '../i18n';

/** The user's zone and locale, as the pre-join page picks them (time.ts). */
export interface Clock {
  timeZone: string;
  locale: string;
}

const STATUS_TEXT: Record<AttendanceStatus, MessageKey> = {
  present: 'attendance.status.present',
  late: 'attendance.status.late',
  'left-early': 'attendance.status.left-early',
  'late-and-left-early': 'attendance.status.late-and-left-early',
  absent: 'attendance.status.absent',
};

/** A shape beside each status word, so the status never rests on colour alone. */
const STATUS_MARK: Record<AttendanceStatus, string> = {
  present: '✓',
  late: '◔',
  'left-early': '◑',
  'late-and-left-early': '◕',
  absent: '✕',
};

export const roleText = (role: Role): string => t(`role.${role}`);

export const statusText = (status: AttendanceStatus): string => t(STATUS_TEXT[status]);
export const statusMark = (status: AttendanceStatus): string => STATUS_MARK[status];

const format = (clock: Clock, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(clock.locale, { timeZone: clock.timeZone, ...options });

export const dateTimeText = (iso: string, clock: Clock): string =>
  format(clock, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

export const timeText = (iso: string, clock: Clock): string =>
  format(clock, { timeStyle: 'short' }).format(new Date(iso));

/** "14 Oct 2025, 14:00–15:00"; just the start while the class runs. */
export function sessionTimeText(session: { startedAt: string; endedAt?: string }, clock: Clock): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  if (!session.endedAt) return format(clock, options).format(new Date(session.startedAt));
  return format(clock, options).formatRange(new Date(session.startedAt), new Date(session.endedAt));
}

export const minutesText = (minutes: number, clock: Clock): string =>
  new Intl.NumberFormat(clock.locale, { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(minutes);

/** A whole percent (0..100) as the locale writes it: "75%", "75 %". */
export const percentText = (percent: number, clock: Clock): string =>
  new Intl.NumberFormat(clock.locale, { style: 'percent', maximumFractionDigits: 0 }).format(percent / 100);

export const numberText = (value: number, clock: Clock): string =>
  new Intl.NumberFormat(clock.locale, { maximumFractionDigits: 2 }).format(value);

/** Where the roster came from and when it was read. */
export function rosterText(roster: SessionAttendanceResponse['roster'], clock: Clock): string {
  const time = timeText(roster.fetchedAt, clock);
  return t(roster.source === 'nrps' ? 'attendance.roster.nrps' : 'attendance.roster.launches', { time });
}

/** "Full points at 75 % of the session, proportional below; absent: 0; per session. Out of 10 points." */
export function policySentence(policy: GradesResponse['policy'], clock: Clock): string {
  const credit =
    policy.policy === 'attended'
      ? t('grades.credit.attended')
      : policy.policy === 'proportional'
        ? t('grades.credit.proportional')
        : t('grades.credit.threshold', { percent: percentText(policy.thresholdPercent, clock) });
  const scope =
    policy.scope === 'per-session'
      ? t('grades.scope.per-session')
      : policy.bestOf !== undefined
        ? tp('grades.scope.bestOf', policy.bestOf)
        : t('grades.scope.cumulative');
  return t('grades.policy.sentence', {
    credit,
    absent: t(policy.absent === 'zero' ? 'grades.absent.zero' : 'grades.absent.not-graded'),
    scope,
    points: numberText(policy.maxPoints, clock),
  });
}

/** What a teacher tells their LMS admin when grades cannot be sent. */
export const cannotPostText = (reason: NonNullable<GradesResponse['cannotPostReason']>): string =>
  t(`grades.cannotPost.${reason}`);

export const scoreText = (score: number | 'not-graded', maximum: number, clock: Clock): string =>
  score === 'not-graded'
    ? t('grades.notGraded')
    : t('grades.score', { score: numberText(score, clock), max: numberText(maximum, clock) });

/**
 * Where one learner's grade stands: `text` is the state in a few words, `detail` what a teacher may want
 * next to it (the LMS's last answer, how many tries).
 */
export function syncText(
  line: Pick<GradeLine, 'sync' | 'scoreMaximum'>,
  clock: Clock,
): { text: string; detail?: string } {
  const { sync } = line;
  switch (sync.state) {
    case 'posted': {
      const score = sync.postedScore === undefined ? '' : scoreText(sync.postedScore, line.scoreMaximum, clock);
      return {
        text: sync.postedAt
          ? t('grades.sync.posted', { score, time: dateTimeText(sync.postedAt, clock) })
          : t('grades.sync.postedNoTime', { score }),
      };
    }
    case 'retrying': {
      const text = sync.nextAttemptAt
        ? t('grades.sync.retrying', { time: timeText(sync.nextAttemptAt, clock) })
        : t('grades.sync.retryingSoon');
      const details = [
        sync.reason ? t('grades.sync.lastAnswer', { reason: sync.reason }) : undefined,
        sync.attempts ? t('grades.sync.attempts', { count: sync.attempts }) : undefined,
      ].filter((d): d is string => d !== undefined);
      return details.length > 0 ? { text, detail: details.join(' ') } : { text };
    }
    case 'refused':
      return {
        text: sync.reason ? t('grades.sync.refused', { reason: sync.reason }) : t('grades.sync.refusedNoReason'),
        detail: t('grades.sync.refusedHint'),
      };
    default:
      return { text: t(`grades.sync.${sync.state}`) };
  }
}

/** A grade still on its way: the view asks again until none is. */
export const inFlight = (lines: readonly Pick<GradeLine, 'sync'>[]): boolean =>
  lines.some((l) => l.sync.state === 'pending' || l.sync.state === 'retrying');
