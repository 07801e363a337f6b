import type { ApiError } from '../api/client';
import { t, type MessageKey } from '../i18n';

/**
 * A refused POST /api/room/token as the pre-join page says it: one plain sentence per code, and how the page
 * goes on. DOM-free; `timeZone` and `locale` are the user's (locale: currentLocale()).
 */
export interface Refusal {
  message: string;
  /**
   * auto: the page asks again by itself after `retryInMs` (no button: it says "we keep trying");
   * manual: asking again may help, so the page offers "Try again"; none: it will not help today.
   */
  retry: 'auto' | 'manual' | 'none';
  /** For `auto`: when to ask again. */
  retryInMs?: number;
  /** The tool or its media server failed (not a decision about this user): shown as an alert. */
  serverFault: boolean;
}

/** A student waiting for the teacher asks this often: joining within seconds of the teacher is the point. */
export const WAITING_RETRY_MS = 5_000;
/** A full, locked or ended class changes when the teacher acts; asking more often only loads the server. */
export const SLOW_RETRY_MS = 15_000;
/** After a server fault: 1, 2, 5, then every 10 s (`failures` in a row, the first is 1). */
const SERVER_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000];
/** A setTimeout longer than ~24.8 days fires at once; a class opening later is asked again within a day. */
const MAX_TIMER_MS = 24 * 3600_000;

export const serverBackoffMs = (failures: number): number =>
  SERVER_BACKOFF_MS[Math.min(Math.max(failures, 1), SERVER_BACKOFF_MS.length) - 1] ?? 10_000;

const SENTENCES = new Map<string, { key: MessageKey; retry: Refusal['retry']; everyMs?: number }>([
  ['ROOM_ENDED', { key: 'refusal.ended', retry: 'auto', everyMs: SLOW_RETRY_MS }],
  ['ROOM_PARTICIPANT_REMOVED', { key: 'refusal.removed', retry: 'none' }],
  ['ROOM_LOCKED', { key: 'refusal.locked', retry: 'auto', everyMs: SLOW_RETRY_MS }],
  ['ROOM_WAITING_FOR_INSTRUCTOR', { key: 'refusal.waitingForInstructor', retry: 'auto', everyMs: WAITING_RETRY_MS }],
  ['ROOM_WAITING_DENIED', { key: 'refusal.denied', retry: 'none' }],
  ['ROOM_FULL', { key: 'refusal.full', retry: 'auto', everyMs: SLOW_RETRY_MS }],
]);

/**
 * Whether an error is the server's fault rather than an answer about this user: no answer at all, an
 * unreadable one, a 5xx, a rate limit, or the media server unreachable behind the tool (LIVEKIT_*).
 */
export function isServerFault(error: Pick<ApiError, 'status' | 'code'>): boolean {
  return (
    error.status === 0 ||
    error.status === 429 ||
    error.status >= 500 ||
    error.code === 'NETWORK' ||
    error.code === 'BAD_RESPONSE' ||
    error.code.startsWith('LIVEKIT_')
  );
}

/**
 * `failures`: refusals in a row so far, this one included (server faults back off with it). `now` is for
 * ROOM_NOT_OPEN, which the page asks again for when the class opens.
 */
export function describeRefusal(
  error: Pick<ApiError, 'status' | 'code' | 'message' | 'details'>,
  timeZone: string,
  locale: string | undefined,
  failures = 1,
  now = Date.now(),
): Refusal {
  if (error.code === 'ROOM_NOT_OPEN') return notOpen(error, timeZone, locale, now);
  // Before the table: a 5xx never reads as a sentence about the user, and never names the media server.
  if (isServerFault(error)) {
    return {
      message: t(error.status === 0 ? 'refusal.unreachable' : 'refusal.serverDown'),
      retry: 'auto',
      retryInMs: serverBackoffMs(failures),
      serverFault: true,
    };
  }
  if (error.code === 'ROOM_FULL' && typeof error.details?.position === 'number') {
    // In line for a seat (src/rooms/waitlist.ts): the page keeps its place by asking often.
    const message = t('refusal.fullInLine', { position: String(error.details.position) });
    return { message, retry: 'auto', retryInMs: WAITING_RETRY_MS, serverFault: false };
  }
  const known = SENTENCES.get(error.code);
  if (known) {
    const refusal: Refusal = { message: t(known.key), retry: known.retry, serverFault: false };
    if (known.everyMs) refusal.retryInMs = known.everyMs;
    return refusal;
  }
  // Other codes: the server's own sentence (docs/errors.md).
  return { message: error.message, retry: 'manual', serverFault: false };
}

/** "This class is not open yet. You can join from Tuesday, October 14, 2:00 PM CEST." */
function notOpen(error: Pick<ApiError, 'details'>, timeZone: string, locale: string | undefined, now: number): Refusal {
  const opensAt = typeof error.details?.opensAt === 'string' ? new Date(error.details.opensAt) : undefined;
  if (!opensAt || Number.isNaN(opensAt.getTime())) {
    return { message: t('refusal.notOpen'), retry: 'auto', retryInMs: SLOW_RETRY_MS, serverFault: false };
  }
  const when = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(opensAt);
  // Ask again a moment after it opens (the server's clock decides, not ours).
  const retryInMs = Math.min(MAX_TIMER_MS, Math.max(1_000, opensAt.getTime() - now + 1_000));
  return { message: t('refusal.notOpenUntil', { when }), retry: 'auto', retryInMs, serverFault: false };
}
