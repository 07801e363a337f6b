import assert from 'node:assert/strict';
import type { Entry, SessionTable } from '../../src/attendance/class-attendance.js';
import { attendanceReadyPayload, peakOf, sessionJson } from '../../src/integrations/attendance-wire.js';
import { outboxEventId } from '../../src/integrations/webhook-outbox.js';

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
const span = (from: number, to: number) => ({ from: t(from), to: t(to) });

describe('integrator attendance JSON', () => {
  const peaks: Array<{ name: string; people: Array<Array<ReturnType<typeof span>>>; peak: number }> = [
    { name: 'nobody', people: [], peak: 0 },
    { name: 'one person, two visits', people: [[span(0, 10), span(20, 30)]], peak: 1 },
    { name: 'overlapping', people: [[span(0, 30)], [span(10, 20)], [span(15, 40)]], peak: 3 },
    { name: 'one leaves as the next joins', people: [[span(0, 10)], [span(10, 20)]], peak: 1 },
    { name: 'apart', people: [[span(0, 5)], [span(6, 9)], [span(0, 1)]], peak: 2 },
  ];
  for (const c of peaks) it(`peak: ${c.name}`, () => assert.equal(peakOf(c.people), c.peak));

  const entry = (
    userKey: string,
    role: Entry['role'],
    intervals: Array<ReturnType<typeof span>>,
    more = {},
  ): Entry => ({
    userKey,
    name: userKey,
    role,
    intervals,
    msPresent: intervals.reduce((ms, i) => ms + i.to.getTime() - i.from.getTime(), 0),
    minutesPresent: 0,
    shareOfSession: 0,
    joins: intervals.length,
    late: false,
    leftEarly: false,
    status: intervals.length > 0 ? 'present' : 'absent',
    inferred: false,
    onRoster: false,
    ...more,
  });
  const table: SessionTable = {
    summary: {
      sessionId: 'ses_x',
      startedAt: t(0),
      endedAt: t(60),
      minutes: 60,
      final: true,
      attended: 0,
      learners: 0,
    },
    session: { sessionId: 'ses_x', startedAt: t(0), endedAt: t(60) },
    learners: [
      entry('u-1', 'participant', [span(5, 60)], { late: true }),
      entry('u-2', 'participant', [span(0, 30)], { leftEarly: true, inferred: true }),
    ],
    others: [entry('u-3', 'instructor', [span(0, 60)]), entry('u-4', undefined, [])],
  };

  it('attendance.ready carries counts only, with a stable id per session', () => {
    const payload = attendanceReadyPayload({ spaceId: 'algebra', roomKey: 'lc-1' }, table, 'https://x/p', t(61));
    assert.equal(payload.id, outboxEventId('ses_x', 'attendance.ready'));
    assert.deepEqual(payload.attendance, {
      started_at: t(0).toISOString(),
      ended_at: t(60).toISOString(),
      duration_minutes: 60,
      participants_count: 3,
      peak_participants: 3,
      by_role: { instructor: 1, participant: 2, observer: 0 },
      late_count: 1,
      left_early_count: 1,
      inferred_count: 1,
      participants_url: 'https://x/p',
    });
    assert.ok(!JSON.stringify(payload).includes('u-1'), 'nobody is named');
  });

  it('a session counts peers now only while it is open', () => {
    const people = [...table.learners, ...table.others];
    assert.equal(sessionJson(table, people, 5).current_peer_count, null);
    const open = { summary: { ...table.summary, endedAt: undefined } };
    assert.equal(sessionJson(open, people, 5).current_peer_count, 5);
    assert.equal(sessionJson(open, people).participants_count, 3);
  });
});
