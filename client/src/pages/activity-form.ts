import type { ActivitySettings, DeepLinkingRequest } from '../api/contract';
import { t } from '../i18n';
import { zonedTimeToUtc } from '../time';

/**
 * The "Add a live class" form as the inputs hold it (numbers as typed), and its checks, whose messages come
 * in the current locale. DOM-free.
 */

export type GradingPolicy = ActivitySettings['grading']['policy'];
export type Publishers = ActivitySettings['publishers'];
export type AbsentPolicy = NonNullable<ActivitySettings['grading']['absent']>;
export type GradingScope = NonNullable<ActivitySettings['grading']['scope']>;
export type RecordingViewers = NonNullable<NonNullable<ActivitySettings['recording']>['viewers']>;

export interface ActivityForm {
  title: string;
  description: string;
  /** YYYY-MM-DD and HH:MM in the user's timezone; both empty for "no schedule". */
  date: string;
  time: string;
  durationMinutes: string;
  audioOnly: boolean;
  publishers: Publishers;
  waitingRoom: boolean;
  joinBeforeInstructor: boolean;
  maxParticipants: string;
  gradingEnabled: boolean;
  maxPoints: string;
  policy: GradingPolicy;
  thresholdPercent: string;
  absent: AbsentPolicy;
  scope: GradingScope;
  /** Cumulative only: count the best N sessions; empty for every session. */
  bestOf: string;
  autoPost: boolean;
  /** Who may watch the class's recordings (docs/recordings.md). */
  recordingViewers: RecordingViewers;
  /** Days the class's recordings are kept; empty for as long as the server keeps them. */
  recordingRetentionDays: string;
  /** Where Go live streams when the teacher gives no address (rtmp(s)://host/app/key); empty for none. */
  recordingStreamUrl: string;
}

export const INITIAL_FORM: ActivityForm = {
  title: '',
  description: '',
  date: '',
  time: '',
  durationMinutes: '60',
  audioOnly: false,
  publishers: 'everyone',
  waitingRoom: false,
  joinBeforeInstructor: true,
  maxParticipants: '100',
  gradingEnabled: false,
  maxPoints: '10',
  policy: 'attended',
  thresholdPercent: '75',
  absent: 'zero',
  scope: 'per-session',
  bestOf: '',
  autoPost: true,
  recordingViewers: 'published',
  recordingRetentionDays: '',
  recordingStreamUrl: '',
};

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const MAX_POINTS = 10_000;
/** The activity setting's own bound, where the server did not say its own (recordingRetentionDays of /api/me). */
export const RETENTION_MAX = 3650;

/**
 * Error messages keyed by the API's field paths (`title`, `startAt`, `grading.maxPoints`, ...), in the
 * order the fields appear, so the first key is the control to focus.
 */
export type FormErrors = Record<string, string>;

/** The API field paths in form order; each has a control with id `fieldId(path)`. */
export const FIELD_PATHS = [
  'title',
  'description',
  'startAt',
  'durationMinutes',
  'audioOnly',
  'publishers',
  'waitingRoom',
  'joinBeforeInstructor',
  'maxParticipants',
  'grading.enabled',
  'grading.maxPoints',
  'grading.policy',
  'grading.thresholdPercent',
  'grading.absent',
  'grading.scope',
  'grading.bestOf',
  'grading.autoPost',
  'recording.viewers',
  'recording.retentionDays',
  'recording.streamUrl',
] as const;

/** The API field path an input of the form feeds (date and time both feed `startAt`). */
export function pathOf(key: keyof ActivityForm): string {
  switch (key) {
    case 'date':
    case 'time':
      return 'startAt';
    case 'gradingEnabled':
      return 'grading.enabled';
    case 'maxPoints':
      return 'grading.maxPoints';
    case 'policy':
      return 'grading.policy';
    case 'thresholdPercent':
      return 'grading.thresholdPercent';
    case 'absent':
    case 'scope':
    case 'bestOf':
    case 'autoPost':
      return `grading.${key}`;
    case 'recordingViewers':
      return 'recording.viewers';
    case 'recordingRetentionDays':
      return 'recording.retentionDays';
    case 'recordingStreamUrl':
      return 'recording.streamUrl';
    default:
      return key;
  }
}

export const fieldId = (path: string): string => `field-${path.replace(/\./g, '-')}`;

/** Puts errors in form order; paths the form has no control for come last. */
export function orderErrors(errors: Iterable<{ path: string; message: string }>): FormErrors {
  const byPath = new Map<string, string>();
  for (const { path, message } of errors) if (!byPath.has(path)) byPath.set(path, message);
  const known: string[] = FIELD_PATHS.filter((p) => byPath.has(p));
  const unknown = [...byPath.keys()].filter((p) => !known.includes(p));
  return Object.fromEntries([...known, ...unknown].map((p) => [p, byPath.get(p) as string]));
}

function wholeNumber(value: string, min: number, max: number, errors: Array<[string, string]>, path: string) {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) errors.push([path, t('form.wholeNumber')]);
  else if (n < min || n > max) errors.push([path, t('form.range', { min, max })]);
  return n;
}

/**
 * The request body, or the errors to show; `timeZone` is the zone the date and time were entered in,
 * `retentionMax` the server's longest retention of recordings (days).
 */
export function toRequest(
  form: ActivityForm,
  timeZone: string,
  retentionMax = RETENTION_MAX,
): { ok: true; request: DeepLinkingRequest } | { ok: false; errors: FormErrors } {
  const errors: Array<[string, string]> = [];
  const title = form.title.trim();
  if (!title) errors.push(['title', t('form.enterTitle')]);
  else if (title.length > TITLE_MAX) errors.push(['title', t('form.tooLong', { max: TITLE_MAX })]);
  if (form.description.trim().length > DESCRIPTION_MAX)
    errors.push(['description', t('form.tooLong', { max: DESCRIPTION_MAX })]);

  let startAt: string | null = null;
  if (form.date || form.time) {
    if (!form.date) errors.push(['startAt', t('form.dateMissing')]);
    else if (!form.time) errors.push(['startAt', t('form.timeMissing')]);
    else {
      startAt = zonedTimeToUtc(form.date, form.time, timeZone) ?? null;
      if (!startAt) errors.push(['startAt', t('form.invalidDateTime')]);
    }
  }
  const durationMinutes = wholeNumber(form.durationMinutes, 5, 24 * 60, errors, 'durationMinutes');
  const maxParticipants = wholeNumber(form.maxParticipants, 2, 1000, errors, 'maxParticipants');

  const maxPoints = Number(form.maxPoints);
  let thresholdPercent = Number(form.thresholdPercent);
  if (form.gradingEnabled) {
    if (form.maxPoints.trim() === '' || !Number.isFinite(maxPoints) || maxPoints <= 0 || maxPoints > MAX_POINTS)
      errors.push(['grading.maxPoints', t('form.maxPoints', { max: MAX_POINTS })]);
    if (form.policy === 'threshold')
      thresholdPercent = wholeNumber(form.thresholdPercent, 1, 100, errors, 'grading.thresholdPercent');
  }
  const bestOf =
    form.gradingEnabled && form.scope === 'cumulative' && form.bestOf.trim() !== ''
      ? wholeNumber(form.bestOf, 1, 1000, errors, 'grading.bestOf')
      : undefined;
  const retentionDays =
    form.recordingRetentionDays.trim() !== ''
      ? wholeNumber(form.recordingRetentionDays, 1, retentionMax, errors, 'recording.retentionDays')
      : undefined;
  const streamUrl = form.recordingStreamUrl.trim();
  if (streamUrl && !/^rtmps?:\/\/[^\s/]+\/\S+$/i.test(streamUrl))
    errors.push(['recording.streamUrl', t('deepLink.recordingStreamUrl.invalid')]);
  if (errors.length > 0)
    return { ok: false, errors: orderErrors(errors.map(([path, message]) => ({ path, message }))) };

  const grading: DeepLinkingRequest['grading'] = form.gradingEnabled
    ? {
        enabled: true,
        maxPoints,
        policy: form.policy,
        ...(form.policy === 'threshold' ? { thresholdPercent } : {}),
        absent: form.absent,
        scope: form.scope,
        ...(bestOf !== undefined ? { bestOf } : {}),
        autoPost: form.autoPost,
      }
    : { enabled: false };
  return {
    ok: true,
    request: {
      title,
      description: form.description.trim(),
      startAt,
      durationMinutes,
      audioOnly: form.audioOnly,
      publishers: form.publishers,
      waitingRoom: form.waitingRoom,
      joinBeforeInstructor: form.joinBeforeInstructor,
      maxParticipants,
      grading,
      recording: {
        viewers: form.recordingViewers,
        ...(retentionDays !== undefined ? { retentionDays } : {}),
        ...(streamUrl ? { streamUrl } : {}),
      },
    },
  };
}
