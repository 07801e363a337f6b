import { AppError } from '../errors.js';
import { z } from 'zod';
import { maskStreamUrl } from '../recordings/stream-url.js';
import { streamAddressSchema } from '../recordings/stream-target.js';

/** How attendance turns into a grade. Pure policies live in attendance/; this is only the choice. */
export const GRADING_POLICIES = ['attended', 'proportional', 'threshold'] as const;
/** A learner with no time in a session: a 0 is posted, or no score at all. */
export const ABSENT_POLICIES = ['zero', 'not-graded'] as const;
/** One score per class session, or one running score over the activity's sessions. */
export const GRADING_SCOPES = ['per-session', 'cumulative'] as const;

/**
 * The grading defaults. absent and scope stay unset when not chosen, so settings parse to what they did
 * before those fields existed (stored activities, and comparisons of stored with parsed settings, keep
 * holding); attendance/grading-policy.ts reads an unset one as its default here.
 */
export const GRADING_DEFAULTS = {
  enabled: false,
  maxPoints: 10,
  policy: 'attended',
  thresholdPercent: 75,
  absent: 'zero',
  scope: 'per-session',
} as const;

/** Who may watch the activity's recordings: teachers only, the whole course, or the course once published. */
export const RECORDING_VIEWERS = ['instructors', 'course', 'published'] as const;
export const RECORDING_DEFAULTS = { auto: false, viewers: 'published' } as const;

export const activitySettingsSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).default(''),
    /** UTC instant; the form shows it in the user's timezone. */
    startAt: z.string().datetime({ offset: true }).nullable().default(null),
    durationMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(60),
    audioOnly: z.boolean().default(false),
    /** 'instructors' is webinar style: participants listen until promoted. */
    publishers: z.enum(['everyone', 'instructors']).default('everyone'),
    waitingRoom: z.boolean().default(false),
    joinBeforeInstructor: z.boolean().default(true),
    maxParticipants: z.number().int().min(2).max(1000).default(100),
    grading: z
      .object({
        enabled: z.boolean().default(GRADING_DEFAULTS.enabled),
        maxPoints: z.number().positive().max(10_000).default(GRADING_DEFAULTS.maxPoints),
        policy: z.enum(GRADING_POLICIES).default(GRADING_DEFAULTS.policy),
        /**
         * For 'threshold': share of the class a learner must attend for full points; below it, points in
         * proportion (attendance/grading-policy.ts calls it fullCreditPercent).
         */
        thresholdPercent: z.number().int().min(1).max(100).default(GRADING_DEFAULTS.thresholdPercent),
        /** Unset: GRADING_DEFAULTS.absent ('zero'). */
        absent: z.enum(ABSENT_POLICIES).optional(),
        /** Unset: GRADING_DEFAULTS.scope ('per-session'). */
        scope: z.enum(GRADING_SCOPES).optional(),
        /** For 'cumulative': only the learner's best N sessions count; every session when unset. */
        bestOf: z.number().int().min(1).max(1000).optional(),
        /** Post the scores by themselves once a session's attendance is final; unset: only on demand. */
        autoPost: z.boolean().optional(),
      })
      .strict()
      .default({ enabled: false, maxPoints: 10, policy: 'attended', thresholdPercent: 75 }),
    /** Unset (as in activities stored before recording existed): RECORDING_DEFAULTS; read with recordingOf. */
    recording: z
      .object({
        /** Start recording when the class starts (its first join). */
        auto: z.boolean().optional(),
        viewers: z.enum(RECORDING_VIEWERS).optional(),
        /** Below the deployment's recordings.retentionDays, never above it. */
        retentionDays: z.number().int().min(1).max(3650).optional(),
        /**
         * Where Go live streams when the teacher gives no address: an RTMP(S) address with the stream key as
         * its last path segment. A secret: only Egress gets it whole; everything else shows publicSettings().
         */
        streamUrl: streamAddressSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ActivitySettings = z.infer<typeof activitySettingsSchema>;
export type ActivitySettingsInput = z.input<typeof activitySettingsSchema>;

export function defaultSettings(title: string): ActivitySettings {
  return activitySettingsSchema.parse({ title: title.slice(0, 200) || 'Live class' });
}

export interface RecordingSettings {
  auto: boolean;
  viewers: (typeof RECORDING_VIEWERS)[number];
  retentionDays?: number;
  streamUrl?: string;
}

/**
 * The settings as they may leave the tool (the launcher's /api/me, the rooms API): the default stream
 * target's key masked (maskStreamUrl).
 */
export function publicSettings(settings: ActivitySettings): ActivitySettings {
  const url = settings.recording?.streamUrl;
  return url ? { ...settings, recording: { ...settings.recording, streamUrl: maskStreamUrl(url) } } : settings;
}

export function recordingOf(settings: ActivitySettings): RecordingSettings {
  const r = settings.recording ?? {};
  return {
    auto: r.auto ?? RECORDING_DEFAULTS.auto,
    viewers: r.viewers ?? RECORDING_DEFAULTS.viewers,
    ...(r.retentionDays !== undefined ? { retentionDays: r.retentionDays } : {}),
    ...(r.streamUrl ? { streamUrl: r.streamUrl } : {}),
  };
}

/**
 * An activity's recording.retentionDays above the deployment's (`maxDays`) is refused as the field `path` of
 * the request (the deep linking form's recording.retentionDays, the rooms API's recording_retention_days).
 */
export function requireRetentionWithin(
  settings: ActivitySettings,
  maxDays: number | undefined,
  path = 'recording.retentionDays',
): void {
  const days = settings.recording?.retentionDays;
  if (maxDays === undefined || days === undefined || days <= maxDays) return;
  const message = `At most ${maxDays} days: this server deletes recordings after ${maxDays} days.`;
  throw new AppError('VALIDATION_FAILED', { details: { fields: [{ path, message }] } });
}

/** The window in which the class can be joined, or undefined when it has no schedule. */
export function availability(settings: ActivitySettings): { start: Date; end: Date } | undefined {
  if (!settings.startAt) return undefined;
  const start = new Date(settings.startAt);
  return { start, end: new Date(start.getTime() + settings.durationMinutes * 60_000) };
}

export interface Activity {
  id: string;
  platformId: string;
  deploymentId: string;
  contextId?: string;
  settings: ActivitySettings;
  createdBy: string;
  createdAt: Date;
}

export interface ActivityStore {
  /** A new activity with a fresh random id (deep linking). */
  create(activity: Omit<Activity, 'id' | 'createdAt'>): Promise<Activity>;
  /** The activity with this (derived) id: inserted unless it exists, so of two racing writers one wins. */
  ensure(activity: Omit<Activity, 'createdAt'>): Promise<Activity>;
  find(platformId: string, id: string): Promise<Activity | undefined>;
  /** The activity a resource link (by its room key) was bound to. */
  linked(linkKey: string): Promise<string | undefined>;
  /**
   * Binds a resource link to an activity. Last writer wins, by design: every writer writes what a signed
   * launch of that link said, and a later launch naming another activity is a teacher's later choice.
   */
  link(linkKey: string, activityId: string): Promise<void>;
}
