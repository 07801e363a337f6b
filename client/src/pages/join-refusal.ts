import type { ApiError } from '../api/client';
import { t, type MessageKey } from '../i18n';

/**
 * A refused POST /api/room/token as the pre-join page says it: one plain sentence per code, and whether
 * trying again later can help. DOM-free; `timeZone` and `locale` are the user's (locale: currentLocale()).
 */
export interface Refusal {
  message: string;
  /** The class may open for this user later (show "Try again"). */
  retry: boolean;
}

const SENTENCES = new Map<string, { key: MessageKey; retry: boolean }>([
  ['ROOM_ENDED', { key: 'refusal.ended', retry: true }],
  ['ROOM_PARTICIPANT_REMOVED', { key: 'refusal.removed', retry: false }],
  ['ROOM_LOCKED', { key: 'refusal.locked', retry: true }],
  ['ROOM_WAITING_FOR_INSTRUCTOR', { key: 'refusal.waitingForInstructor', retry: true }],
  ['ROOM_WAITING_DENIED', { key: 'refusal.denied', retry: false }],
  ['ROOM_FULL', { key: 'refusal.full', retry: true }],
]);

export function describeRefusal(error: ApiError, timeZone: string, locale: string | undefined): Refusal {
  if (error.code === 'ROOM_NOT_OPEN') return notOpen(error, timeZone, locale);
  const known = SENTENCES.get(error.code);
  // Other codes: the server's own sentence (docs/errors.md).
  return known ? { message: t(known.key), retry: known.retry } : { message: error.message, retry: true };
}

/** "This class is not open yet. You can join from Tuesday, October 14, 2:00 PM CEST." */
function notOpen(error: ApiError, timeZone: string, locale: string | undefined): Refusal {
  const opensAt = typeof error.details?.opensAt === 'string' ? new Date(error.details.opensAt) : undefined;
  if (!opensAt || Number.isNaN(opensAt.getTime())) return { message: t('refusal.notOpen'), retry: true };
  const when = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(opensAt);
  return { message: t('refusal.notOpenUntil', { when }), retry: true };
}
