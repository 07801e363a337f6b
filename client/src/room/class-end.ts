import type { ApiClient } from '../api/client';

/**
 * Whether this page ended its class for everyone, so its end screen says "You ended the class" rather than
 * "A teacher ended the class". Module state of this page only: a co-teacher's page never sets it.
 */
let endedAt: number | undefined;
/** An end this long ago is another class's (the teacher reopened it and someone else ended it). */
const RECENT_MS = 10 * 60_000;

export const noteEndedHere = (): void => {
  endedAt = Date.now();
};

export const endedHere = (now = Date.now()): boolean => endedAt !== undefined && now - endedAt < RECENT_MS;

/** A new join starts with a clean slate. */
export const forgetEndedHere = (): void => {
  endedAt = undefined;
};

/**
 * The same API client, except that `roomAction('end')` is noted here (and forgotten if it fails), whichever
 * part of the room page sends it (the leader panel, the leave dialog).
 */
export function noticingEnd(api: ApiClient): ApiClient {
  const noticing = Object.create(api) as ApiClient;
  noticing.roomAction = async (action) => {
    if (action !== 'end') return api.roomAction(action);
    // Noted before the answer: the SFU's disconnect (and so the end screen) can arrive ahead of it.
    const before = endedAt;
    noteEndedHere();
    try {
      await api.roomAction(action);
    } catch (err) {
      endedAt = before;
      throw err;
    }
  };
  return noticing;
}
