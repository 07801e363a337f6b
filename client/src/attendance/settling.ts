/**
 * An ended session whose record is not final yet: the server reconciles it with the media server's list
 * shortly after the class, so the view asks again until it is. A running class is not polled (its record
 * changes all the time and nobody needs it to the second).
 */
export const settling = (session: { endedAt?: string; final: boolean }): boolean =>
  session.endedAt !== undefined && !session.final;

export const SETTLE_POLL_MS = 3_000;
