/**
 * Keyset paging over a room's class sessions, newest first. A cursor names the last session handed out
 * (its start and id), not a position, so sessions that start meanwhile never shift a page.
 */
export interface PageCursor {
  startedAt: number;
  sessionId: string;
}

interface Paged {
  sessionId: string;
  startedAt: Date;
}

const newestFirst = (a: Paged, b: Paged) =>
  b.startedAt.getTime() - a.startedAt.getTime() || (a.sessionId < b.sessionId ? 1 : a.sessionId > b.sessionId ? -1 : 0);

/** `limit` sessions after the cursor, and the cursor of the next page (none when this is the last). */
export function pageOf<T extends Paged>(
  sessions: readonly T[],
  limit: number,
  after?: PageCursor,
): { page: T[]; next?: PageCursor } {
  const sorted = [...sessions].sort(newestFirst);
  const start = after ? sorted.findIndex((s) => newestFirst(s, toPaged(after)) > 0) : 0;
  const rest = start < 0 ? [] : sorted.slice(start);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return rest.length > limit && last ? { page, next: cursorOf(last) } : { page };
}

const toPaged = (c: PageCursor): Paged => ({ sessionId: c.sessionId, startedAt: new Date(c.startedAt) });
const cursorOf = (s: Paged): PageCursor => ({ startedAt: s.startedAt.getTime(), sessionId: s.sessionId });

/** Opaque to callers: base64url of `<ms>:<session id>`. */
export function encodeCursor(c: PageCursor): string {
  return Buffer.from(`${c.startedAt}:${c.sessionId}`).toString('base64url');
}

/** The cursor, or undefined for a string no encodeCursor made. */
export function decodeCursor(text: string): PageCursor | undefined {
  const match = /^(\d{1,15}):(ses_[\w-]{1,64})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  return match ? { startedAt: Number(match[1]), sessionId: match[2] as string } : undefined;
}
