import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor, pageOf } from '../../src/attendance/session-page.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
const s = (id: string, minute: number) => ({ sessionId: `ses_${id}`, startedAt: at(minute) });
const ids = (page: Array<{ sessionId: string }>) => page.map((p) => p.sessionId.slice(4));

describe('paging class sessions', () => {
  // Stored in any order; two share a start (the id orders them).
  const sessions = [s('a', 0), s('c', 20), s('b', 10), s('d', 20), s('e', 30)];

  const cases: Array<{ name: string; limit: number; pages: string[][] }> = [
    { name: 'one page holds all', limit: 10, pages: [['e', 'd', 'c', 'b', 'a']] },
    { name: 'exactly full: no further page', limit: 5, pages: [['e', 'd', 'c', 'b', 'a']] },
    { name: 'pages of two, ties kept apart', limit: 2, pages: [['e', 'd'], ['c', 'b'], ['a']] },
    { name: 'pages of one', limit: 1, pages: [['e'], ['d'], ['c'], ['b'], ['a']] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const seen: string[][] = [];
      let cursor: ReturnType<typeof pageOf>['next'];
      do {
        const { page, next } = pageOf(sessions, c.limit, cursor);
        seen.push(ids(page));
        cursor = next && decodeCursor(encodeCursor(next));
      } while (cursor);
      assert.deepEqual(seen, c.pages);
    });
  }

  it('a session started after the first page does not shift the next one', () => {
    const first = pageOf(sessions, 2);
    const later = [...sessions, s('f', 40)];
    assert.deepEqual(ids(pageOf(later, 2, first.next).page), ['c', 'b']);
  });

  it('a cursor past every session gives an empty last page', () => {
    assert.deepEqual(pageOf(sessions, 2, { startedAt: at(-5).getTime(), sessionId: 'ses_z' }), { page: [] });
  });

  it('refuses cursors it did not make', () => {
    for (const text of ['', 'o20', 'bm9wZQ', Buffer.from('12:not-a-session').toString('base64url')]) {
      assert.equal(decodeCursor(text), undefined, text);
    }
    assert.deepEqual(decodeCursor(encodeCursor({ startedAt: 5, sessionId: 'ses_x-1' })), {
      startedAt: 5,
      sessionId: 'ses_x-1',
    });
  });
});
