import assert from 'node:assert/strict';
import {
  attendanceOf,
  statusOf,
  type AttendanceFact,
  type AttendanceOptions,
  type AttendanceRecord,
  type AttendanceStatus,
  type AttendedSession,
} from '../../src/attendance/attendance.js';
import { withRoster, type RosterMember } from '../../src/attendance/roster.js';

const MIN = 60_000;
const T0 = new Date('2030-03-01T10:00:00Z');
/** A time, in minutes from the session start. */
const m = (minutes: number) => new Date(T0.getTime() + minutes * MIN);
const minutesOf = (d: Date) => (d.getTime() - T0.getTime()) / MIN;

const SESSION: AttendedSession = { sessionId: 's1', startedAt: m(0), endedAt: m(60) };

let seq = 0;
const fact = (
  kind: AttendanceFact['kind'],
  who: string,
  at: number,
  extra: Partial<AttendanceFact> = {},
): AttendanceFact => ({
  eventId: `e${++seq}`,
  sessionId: 's1',
  identity: who,
  name: who.toUpperCase(),
  role: 'participant',
  kind,
  at: m(at),
  ...extra,
});
const join = (who: string, at: number, extra?: Partial<AttendanceFact>) => fact('joined', who, at, extra);
const leave = (who: string, at: number, extra?: Partial<AttendanceFact>) => fact('left', who, at, extra);

type Expected = Partial<Omit<AttendanceRecord, 'intervals' | 'firstJoin' | 'lastLeave' | 'status'>> & {
  /** In minutes from the session start. */
  intervals: Array<[number, number]>;
  status: AttendanceStatus;
};
interface Case {
  session?: Partial<AttendedSession>;
  facts: AttendanceFact[];
  options?: AttendanceOptions;
  /** Everyone expected in the result, and nobody else. */
  expect: Record<string, Expected>;
}

const retried = leave('a', 10);
const secondTab = join('a', 30);

const ROWS: Array<[string, Case]> = [
  [
    'one visit: a join and its leave make one interval',
    {
      facts: [join('a', 0), leave('a', 60)],
      expect: { a: { intervals: [[0, 60]], joins: 1, status: 'present', shareOfSession: 1, minutesPresent: 60 } },
    },
  ],
  [
    'delivery order does not matter: facts delivered newest first pair up in time order',
    {
      facts: [leave('a', 60), join('a', 20), leave('a', 10), join('a', 0)],
      expect: {
        a: {
          intervals: [
            [0, 10],
            [20, 60],
          ],
          joins: 2,
          status: 'present',
        },
      },
    },
  ],
  [
    'a retried webhook (same eventId) counts once, even in a reconnect second',
    {
      facts: [join('a', 0), retried, retried, join('a', 10), leave('a', 60)],
      expect: { a: { intervals: [[0, 60]], joins: 1, status: 'present' } },
    },
  ],
  [
    'reconnect: a leave and a join 30 s apart are one visit, the gap counted',
    {
      facts: [join('a', 0), leave('a', 20), join('a', 20.5), leave('a', 60)],
      expect: { a: { intervals: [[0, 60]], joins: 1, msPresent: 60 * MIN, status: 'present' } },
    },
  ],
  [
    'a gap longer than the reconnect grace makes two visits',
    {
      facts: [join('a', 0), leave('a', 20), join('a', 22), leave('a', 60)],
      expect: {
        a: {
          intervals: [
            [0, 20],
            [22, 60],
          ],
          joins: 2,
          msPresent: 58 * MIN,
          status: 'present',
        },
      },
    },
  ],
  [
    'reconnectGraceMs is an option: at 0 a 30 s drop is two visits',
    {
      facts: [join('a', 0), leave('a', 20), join('a', 20.5), leave('a', 60)],
      options: { reconnectGraceMs: 0 },
      expect: {
        a: {
          intervals: [
            [0, 20],
            [20.5, 60],
          ],
          joins: 2,
          status: 'present',
        },
      },
    },
  ],
  [
    'a second tab takes over the identity: its join and the old tab leave in one second stay one visit',
    {
      facts: [join('a', 0), secondTab, leave('a', 30), leave('a', 60)],
      expect: { a: { intervals: [[0, 60]], joins: 1, status: 'present' } },
    },
  ],
  [
    'a visit of under a second (join and leave in one webhook second) still shows the person came',
    {
      facts: [join('a', 10), leave('a', 10)],
      expect: { a: { intervals: [[10, 10]], joins: 1, msPresent: 0, status: 'late-and-left-early' } },
    },
  ],
  [
    'a join while joined (its leave lost) keeps the first join and never double counts',
    {
      facts: [join('a', 0), join('a', 30), leave('a', 60)],
      expect: { a: { intervals: [[0, 60]], joins: 1, msPresent: 60 * MIN, status: 'present' } },
    },
  ],
  [
    'a leave that never came is closed at the session end (and marked inferred)',
    {
      facts: [join('a', 2)],
      expect: { a: { intervals: [[2, 60]], status: 'present', inferred: true } },
    },
  ],
  [
    'while the session runs, an open visit counts up to now and is not inferred',
    {
      session: { endedAt: undefined },
      facts: [join('a', 0)],
      options: { now: m(30) },
      expect: { a: { intervals: [[0, 30]], shareOfSession: 1, status: 'present', inferred: false } },
    },
  ],
  [
    'a running session without now counts up to the latest fact',
    {
      session: { endedAt: undefined },
      facts: [join('a', 0), join('b', 20), leave('b', 25)],
      expect: {
        a: { intervals: [[0, 25]], status: 'present' },
        b: { intervals: [[20, 25]], status: 'late' },
      },
    },
  ],
  [
    'a leave without its join (lost join webhook) counts from the session start',
    {
      facts: [leave('a', 30)],
      expect: { a: { intervals: [[0, 30]], joins: 1, status: 'left-early', inferred: true } },
    },
  ],
  [
    'a later leave without its join counts from the previous leave (the earliest the join can have been)',
    {
      facts: [join('a', 0), leave('a', 10), leave('a', 40)],
      expect: { a: { intervals: [[0, 40]], joins: 1, status: 'left-early', inferred: true } },
    },
  ],
  [
    'a join after the session ended is ignored: the person is absent',
    {
      facts: [join('a', 70), leave('a', 80)],
      expect: { a: { intervals: [], joins: 0, msPresent: 0, status: 'absent' } },
    },
  ],
  [
    'a leave after the session ended is clipped to the end',
    {
      facts: [join('a', 0), leave('a', 65)],
      expect: { a: { intervals: [[0, 60]], msPresent: 60 * MIN, status: 'present' } },
    },
  ],
  [
    'a join before the session started is clipped to the start',
    {
      facts: [join('a', -10), leave('a', 60)],
      expect: { a: { intervals: [[0, 60]], msPresent: 60 * MIN, shareOfSession: 1, status: 'present' } },
    },
  ],
  [
    'a visit wholly before the start counts nothing',
    {
      facts: [join('a', -10), leave('a', -5)],
      expect: { a: { intervals: [], status: 'absent' } },
    },
  ],
  [
    'facts of another session are not counted in this one',
    {
      facts: [join('a', 0), join('b', 0, { sessionId: 's0' }), leave('b', 60, { sessionId: 's0' })],
      expect: { a: { intervals: [[0, 60]], status: 'present' } },
    },
  ],
  [
    'on time: a first join exactly at the late grace is not late',
    { facts: [join('a', 5), leave('a', 60)], expect: { a: { intervals: [[5, 60]], late: false, status: 'present' } } },
  ],
  [
    'late: a first join after the late grace',
    { facts: [join('a', 5.1), leave('a', 60)], expect: { a: { intervals: [[5.1, 60]], late: true, status: 'late' } } },
  ],
  [
    'late is measured from the scheduled start when there is one',
    {
      session: { scheduledStart: m(-10) },
      facts: [join('a', 0), leave('a', 60)],
      expect: { a: { intervals: [[0, 60]], late: true, status: 'late' } },
    },
  ],
  [
    'lateGraceMs is an option',
    {
      facts: [join('a', 8), leave('a', 60)],
      options: { lateGraceMs: 10 * MIN },
      expect: { a: { intervals: [[8, 60]], status: 'present' } },
    },
  ],
  [
    'on time: a last leave exactly at the left-early grace is not early',
    { facts: [join('a', 0), leave('a', 55)], expect: { a: { intervals: [[0, 55]], status: 'present' } } },
  ],
  [
    'left early: a last leave before the left-early grace',
    {
      facts: [join('a', 0), leave('a', 54)],
      expect: { a: { intervals: [[0, 54]], leftEarly: true, status: 'left-early' } },
    },
  ],
  [
    'left early looks at the last leave, not an earlier one',
    {
      facts: [join('a', 0), leave('a', 20), join('a', 30), leave('a', 60)],
      expect: {
        a: {
          intervals: [
            [0, 20],
            [30, 60],
          ],
          status: 'present',
        },
      },
    },
  ],
  [
    'leftEarlyGraceMs is an option',
    {
      facts: [join('a', 0), leave('a', 54)],
      options: { leftEarlyGraceMs: 10 * MIN },
      expect: { a: { intervals: [[0, 54]], status: 'present' } },
    },
  ],
  [
    'late and left early together',
    {
      facts: [join('a', 10), leave('a', 40)],
      expect: { a: { intervals: [[10, 40]], late: true, leftEarly: true, status: 'late-and-left-early' } },
    },
  ],
  [
    'nobody leaves early from a session that has not ended',
    {
      session: { endedAt: undefined },
      facts: [join('a', 0), leave('a', 10)],
      options: { now: m(60) },
      expect: { a: { intervals: [[0, 10]], leftEarly: false, status: 'present' } },
    },
  ],
  [
    'reconcile: someone the SFU lists but whose join was lost is present from its joinedAt to the end',
    {
      facts: [],
      options: { reconcile: { at: m(60), present: [{ identity: 'b', name: 'Bea', joinedAt: m(20) }] } },
      expect: { b: { intervals: [[20, 60]], name: 'Bea', status: 'late', inferred: true } },
    },
  ],
  [
    'reconcile: a lost re-join without joinedAt counts from the last leave',
    {
      facts: [join('a', 0), leave('a', 10)],
      options: { reconcile: { at: m(60), present: [{ identity: 'a', name: 'A' }] } },
      expect: { a: { intervals: [[0, 60]], joins: 1, status: 'present', inferred: true } },
    },
  ],
  [
    'reconcile: someone the SFU lists with no facts and no joinedAt counts from the start',
    {
      facts: [],
      options: { reconcile: { at: m(60), present: [{ identity: 'b', name: 'Bea' }] } },
      expect: { b: { intervals: [[0, 60]], status: 'present', inferred: true } },
    },
  ],
  [
    'reconcile: the SFU confirming an open visit changes nothing and infers nothing',
    {
      facts: [join('a', 0)],
      options: { reconcile: { at: m(60), present: [{ identity: 'a', name: 'A', joinedAt: m(0) }] } },
      expect: { a: { intervals: [[0, 60]], status: 'present', inferred: false } },
    },
  ],
  [
    'reconcile: an open visit the SFU does not list still runs to the end (a lost leave never makes absent)',
    {
      facts: [join('a', 0)],
      options: { reconcile: { at: m(60), present: [] } },
      expect: { a: { intervals: [[0, 60]], status: 'present', inferred: true } },
    },
  ],
  [
    'share: half the session is 0.5',
    {
      facts: [join('a', 0), leave('a', 30)],
      expect: { a: { intervals: [[0, 30]], shareOfSession: 0.5, status: 'left-early' } },
    },
  ],
  [
    'share: a zero-length session gives 0, never NaN',
    {
      session: { endedAt: m(0) },
      facts: [join('a', 0), leave('a', 0)],
      expect: { a: { intervals: [[0, 0]], shareOfSession: 0, status: 'present' } },
    },
  ],
  [
    'share: an end before the start (a clock gone backwards) is a zero-length session',
    {
      session: { endedAt: m(-5) },
      facts: [join('a', 0), leave('a', 10)],
      expect: { a: { intervals: [[0, 0]], shareOfSession: 0, msPresent: 0, status: 'present' } },
    },
  ],
  [
    'minutes are rounded to the nearest whole minute; msPresent stays exact',
    {
      facts: [join('a', 0), leave('a', 10.6)],
      expect: { a: { intervals: [[0, 10.6]], minutesPresent: 11, msPresent: 10.6 * MIN, status: 'left-early' } },
    },
  ],
  [
    'name and role come from the latest fact that carries them',
    {
      facts: [
        join('a', 0, { name: 'Ann', role: 'observer' }),
        leave('a', 20, { role: undefined }),
        join('a', 20, { name: 'Ann B.', role: undefined }),
      ],
      expect: { a: { intervals: [[0, 60]], name: 'Ann B.', role: 'observer', status: 'present' } },
    },
  ],
  [
    'several people are counted apart',
    {
      facts: [join('a', 0), join('b', 30), leave('a', 60), leave('b', 60)],
      expect: {
        a: { intervals: [[0, 60]], status: 'present' },
        b: { intervals: [[30, 60]], shareOfSession: 0.5, status: 'late' },
      },
    },
  ],
];

/** The fields a row names, with intervals in minutes. */
function project(r: AttendanceRecord, e: Expected): Expected {
  const picked = Object.fromEntries(Object.keys(e).map((k) => [k, r[k as keyof AttendanceRecord]]));
  return { ...picked, intervals: r.intervals.map((i) => [minutesOf(i.from), minutesOf(i.to)]), status: r.status };
}

describe('attendanceOf', () => {
  for (const [name, c] of ROWS) {
    it(name, () => {
      const records = attendanceOf({ ...SESSION, ...c.session }, c.facts, c.options);
      assert.deepEqual(records.map((r) => r.userKey).sort(), Object.keys(c.expect).sort());
      for (const r of records) assert.deepEqual(project(r, c.expect[r.userKey]!), c.expect[r.userKey]);
    });
  }

  it('every delivery order of the same facts gives the same records', () => {
    const facts = [join('a', 0), leave('a', 20), join('a', 20.5), leave('a', 40), join('a', 45), leave('a', 50)];
    const expected = attendanceOf(SESSION, facts);
    for (let shift = 1; shift < facts.length; shift++) {
      const rotated = [...facts.slice(shift), ...facts.slice(0, shift)];
      assert.deepEqual(attendanceOf(SESSION, rotated), expected);
      assert.deepEqual(attendanceOf(SESSION, [...rotated].reverse()), expected);
    }
  });

  it('rows are sorted by name', () => {
    const records = attendanceOf(SESSION, [join('z', 0, { name: 'Ada' }), join('a', 0, { name: 'Zoe' })]);
    assert.deepEqual(
      records.map((r) => r.name),
      ['Ada', 'Zoe'],
    );
  });
});

describe('statusOf', () => {
  const rows: Array<[boolean, boolean, boolean, AttendanceStatus]> = [
    [true, false, false, 'present'],
    [true, true, false, 'late'],
    [true, false, true, 'left-early'],
    [true, true, true, 'late-and-left-early'],
    [false, false, false, 'absent'],
  ];
  for (const [attended, late, leftEarly, status] of rows) {
    it(`${status} for attended=${attended} late=${late} leftEarly=${leftEarly}`, () => {
      assert.equal(statusOf(attended, late, leftEarly), status);
    });
  }
});

describe('withRoster', () => {
  const records = attendanceOf(SESSION, [
    join('ann', 0, { name: 'annie' }),
    join('ian', 0, { name: 'ian' }),
    join('guest', 10, { name: 'Guest' }),
  ]);
  const roster: RosterMember[] = [
    { userKey: 'ann', name: 'Ann Lee', role: 'participant' },
    { userKey: 'bob', name: 'Bob Roe', role: 'participant' },
    { userKey: 'bob', name: 'Bob Roe (again)', role: 'participant' },
    { userKey: 'ian', name: 'Ian Teach', role: 'instructor' },
    { userKey: 'olga', name: 'Olga Look', role: 'observer' },
  ];
  const { learners, others } = withRoster(records, roster);
  const row = (key: string) => [...learners, ...others].find((r) => r.userKey === key);

  const ROSTER_ROWS: Array<[string, () => void]> = [
    [
      'an absentee on the roster gets an absent row with zero minutes',
      () => {
        const bob = row('bob');
        assert.equal(bob?.status, 'absent');
        assert.equal(bob?.minutesPresent, 0);
        assert.equal(bob?.shareOfSession, 0);
        assert.deepEqual(bob?.intervals, []);
        assert.equal(bob?.onRoster, true);
      },
    ],
    [
      'a duplicate roster entry gives one row, the first',
      () =>
        assert.deepEqual(
          learners.filter((r) => r.userKey === 'bob').map((r) => r.name),
          ['Bob Roe'],
        ),
    ],
    [
      "the roster's name and role win over the SFU's",
      () => {
        assert.equal(row('ann')?.name, 'Ann Lee');
        assert.equal(row('ann')?.status, 'present');
        assert.equal(row('ian')?.name, 'Ian Teach');
        assert.equal(row('ian')?.role, 'instructor');
      },
    ],
    [
      'someone who came but is not on the roster keeps a row, marked off-roster',
      () => {
        assert.equal(row('guest')?.onRoster, false);
        assert.equal(row('guest')?.status, 'late');
      },
    ],
    [
      'learners are the participants on the roster or in the facts, sorted by name',
      () =>
        assert.deepEqual(
          learners.map((r) => r.userKey),
          ['ann', 'bob', 'guest'],
        ),
    ],
    [
      'instructors and observers, present or absent, are kept apart from learners',
      () => {
        assert.deepEqual(
          others.map((r) => [r.userKey, r.status]),
          [
            ['ian', 'present'],
            ['olga', 'absent'],
          ],
        );
      },
    ],
  ];
  for (const [name, check] of ROSTER_ROWS) it(name, check);
});
