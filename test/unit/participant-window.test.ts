import assert from 'node:assert/strict';
import { windowOf } from '../../src/http/video-sessions-routes.js';
import type { ParticipantSearch } from '../../src/integrations/video-room-wire.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const q = (query: Partial<ParticipantSearch>): ParticipantSearch => ({ limit: 20, ...query });

describe('participant search window', () => {
  const cases: Array<[string, Partial<ParticipantSearch>, { from?: number; to?: number } | 'refused']> = [
    ['nothing given', {}, {}],
    ['time alone, no before: up to now', { joined_after: iso(NOW - DAY) }, { from: NOW - DAY, to: NOW }],
    ['time alone, no after: 31 days back', { left_before: iso(NOW) }, { from: NOW - 31 * DAY, to: NOW }],
    [
      'joined and left: the earliest after to the latest before',
      { joined_after: iso(NOW - 3 * DAY), joined_before: iso(NOW - 2 * DAY), left_after: iso(NOW - DAY) },
      { from: NOW - 3 * DAY, to: NOW - 2 * DAY },
    ],
    ['an after past its before', { joined_after: iso(NOW), joined_before: iso(NOW - 1) }, 'refused'],
    ['time alone over 31 days', { joined_after: iso(NOW - 32 * DAY) }, 'refused'],
    ['a user: no span limit', { user_id: 'u', joined_after: iso(NOW - 90 * DAY) }, { from: NOW - 90 * DAY }],
    ['a room: no span limit', { room_id: 'r', joined_before: iso(NOW - 90 * DAY) }, { to: NOW - 90 * DAY }],
  ];
  for (const [name, query, expected] of cases) {
    it(name, () => {
      if (expected === 'refused') {
        assert.throws(() => windowOf(q(query), NOW), { code: 'VIDEO_PARTICIPANTS_WINDOW' });
        return;
      }
      const w = windowOf(q(query), NOW);
      assert.deepEqual({ from: w.from?.getTime(), to: w.to?.getTime() }, { from: expected.from, to: expected.to });
    });
  }
});
