import type { ApiError } from '../api/client';

/**
 * A refused POST /api/room/token as the pre-join page says it: one plain sentence per code, and whether
 * trying again later can help. DOM-free; `timeZone` and `locale` are the user's.
 */
export interface Refusal {
  message: string;
  /** The class may open for this user later (show "Try again"). */
  retry: boolean;
}

export function describeRefusal(error: ApiError, timeZone: string, locale: string | undefined): Refusal {
  switch (error.code) {
    case 'ROOM_ENDED':
      return { message: 'This class has ended. It opens again when your teacher restarts it.', retry: true };
    case 'ROOM_NOT_OPEN': {
      const opensAt = typeof error.details?.opensAt === 'string' ? new Date(error.details.opensAt) : undefined;
      if (!opensAt || Number.isNaN(opensAt.getTime())) return { message: 'This class is not open yet.', retry: true };
      const when = new Intl.DateTimeFormat(locale, {
        timeZone,
        weekday: 'long',
        month: 'long',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
      }).format(opensAt);
      return { message: `This class is not open yet. You can join from ${when}.`, retry: true };
    }
    case 'PARTICIPANT_REMOVED':
      return { message: 'Your teacher removed you from this class for the rest of the session.', retry: false };
    case 'ROOM_LOCKED':
      return { message: 'Your teacher has locked this class: nobody else can join right now.', retry: true };
    case 'WAITING_FOR_INSTRUCTOR':
      return { message: 'The class starts when your teacher joins. This page tries again by itself.', retry: true };
    case 'WAITING_DENIED':
      return { message: 'Your teacher declined your request to join this class.', retry: false };
    case 'ROOM_FULL':
      return { message: 'This class is full. Try again when someone leaves.', retry: true };
    default:
      return { message: error.message, retry: true };
  }
}
