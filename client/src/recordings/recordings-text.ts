/**
 * The words and numbers of the Recordings view: who may watch, statuses with a shape each, durations and
 * sizes as the locale writes them, and whether a person gets the tab at all. DOM-free (mocha tests it).
 */
import type { MeResponse, RecordingStatus, RecordingViewers } from '../api/contract';
import { t, type MessageKey } from '../i18n';
import type { Clock } from '../attendance/attendance-text';

/**
 * The activity's setting with its default filled in: the server's RECORDING_DEFAULTS.viewers
 * (src/rooms/activity-settings.ts; a unit test keeps the two the same).
 */
export const DEFAULT_VIEWERS: RecordingViewers = 'published';

export const viewersOf = (me: Pick<MeResponse, 'activity'>): RecordingViewers =>
  me.activity?.settings.recording?.viewers ?? DEFAULT_VIEWERS;

/** Teachers always get the Recordings tab; anyone else unless the class keeps them for its teachers. */
export const showsRecordings = (me: Pick<MeResponse, 'activity' | 'user'>): boolean =>
  me.activity !== undefined && (me.user.role === 'instructor' || viewersOf(me) !== 'instructors');

const STATUS: Record<RecordingStatus, { text: MessageKey; mark: string }> = {
  starting: { text: 'recordings.status.starting', mark: '○' },
  recording: { text: 'recordings.status.recording', mark: '●' },
  ready: { text: 'recordings.status.ready', mark: '✓' },
  failed: { text: 'recordings.status.failed', mark: '✕' },
  deleted: { text: 'recordings.status.deleted', mark: '—' },
};

export const statusText = (status: RecordingStatus): string => t(STATUS[status].text);
export const statusMark = (status: RecordingStatus): string => STATUS[status].mark;

const unit = (clock: Clock, value: number, u: string, digits = 0) =>
  new Intl.NumberFormat(clock.locale, {
    style: 'unit',
    unit: u,
    unitDisplay: 'short',
    maximumFractionDigits: digits,
  }).format(value);

/** "1 hr 2 min", "12 min 5 sec", "45 sec" (as the locale abbreviates them). */
export function durationText(ms: number, clock: Clock): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return [unit(clock, h, 'hour'), ...(m > 0 ? [unit(clock, m, 'minute')] : [])].join(' ');
  if (m > 0) return [unit(clock, m, 'minute'), ...(s > 0 ? [unit(clock, s, 'second')] : [])].join(' ');
  return unit(clock, s, 'second');
}

/** "820 kB", "12.3 MB", "1.2 GB" (decimal units, as file managers show them). */
export function sizeText(bytes: number, clock: Clock): string {
  if (bytes < 1e6) return unit(clock, Math.max(1, Math.round(bytes / 1e3)), 'kilobyte');
  if (bytes < 1e9) return unit(clock, bytes / 1e6, 'megabyte', bytes < 1e8 ? 1 : 0);
  return unit(clock, bytes / 1e9, 'gigabyte', 1);
}

/** Who may watch, as the teacher or the student reads it. */
export function whoText(viewers: RecordingViewers, teacher: boolean): string {
  if (viewers === 'published' && !teacher) return t('recordings.who.published.student');
  return t(`recordings.who.${viewers}`);
}

/** The recording's date: when Egress began, else when it was asked for. */
export const recordingDate = (r: { startedAt?: string; requestedAt: string }): string => r.startedAt ?? r.requestedAt;
