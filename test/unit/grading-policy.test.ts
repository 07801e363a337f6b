import assert from 'node:assert/strict';
import {
  policyOf,
  previewScores,
  scoreComment,
  scoreFor,
  type GradingPolicy,
  type PreviewLine,
  type PreviewRow,
  type Score,
  type Share,
} from '../../src/attendance/grading-policy.js';
import { activitySettingsSchema } from '../../src/rooms/activity-settings.js';

const session = (x: number | 'any' = 80): GradingPolicy => ({
  fullCreditPercent: x,
  absent: 'zero',
  scope: 'per-session',
});
const notGraded: GradingPolicy = { ...session(), absent: 'not-graded' };
const cumulative = (bestOf?: number, x: number | 'any' = 80): GradingPolicy => ({
  fullCreditPercent: x,
  absent: 'zero',
  scope: 'cumulative',
  ...(bestOf !== undefined ? { bestOf } : {}),
});

const pts = (scoreGiven: number, scoreMaximum = 10): Score => ({ scoreGiven, scoreMaximum });

type Row = [string, GradingPolicy, number, readonly Share[] | Share, Score | undefined];
const ROWS: Row[] = [
  ['full at the threshold (80 % of 80 %)', session(), 10, 0.8, pts(10)],
  ['full above the threshold', session(), 10, 0.95, pts(10)],
  ['proportional below: 40 % of an 80 % threshold is half', session(), 10, 0.4, pts(5)],
  ['proportional below, other maximum', session(), 20, 0.6, pts(15, 20)],
  ['capped: a share above 1 (overlapping intervals) gives no more than maxPoints', session(), 10, 1.5, pts(10)],
  ['capped: threshold 100 at a full share', session(100), 7, 1, pts(7, 7)],
  ['threshold 100 is plain proportional', session(100), 10, 0.37, pts(3.7)],
  ['attended: any presence earns full points', session('any'), 10, 0.01, pts(10)],
  ['attended: absent earns 0 with absent=zero', session('any'), 10, undefined, pts(0)],
  ['absent=zero: no share posts 0', session(), 10, undefined, pts(0)],
  ['absent=zero: a share of 0 is absent, posts 0', session(), 10, 0, pts(0)],
  ['absent=not-graded: no share posts nothing', notGraded, 10, undefined, undefined],
  ['absent=not-graded: a share of 0 posts nothing', notGraded, 10, 0, undefined],
  ['absent=not-graded: present learners still get their score', notGraded, 10, 0.2, pts(2.5)],
  ['never negative: a negative share is absent', session(), 10, -0.3, pts(0)],
  ['zero-length session: share NaN (0/0) is absent, not NaN', session(), 10, NaN, pts(0)],
  ['zero-length session: share Infinity is absent, not Infinity', session(), 10, Infinity, pts(0)],
  ['zero-length session, not-graded: nothing posted', notGraded, 10, NaN, undefined],
  ['no session in scope: nothing posted even with absent=zero', cumulative(), 10, [], undefined],
  ['rounding: 2 decimals (1/3 of 10 at threshold 100)', session(100), 10, 1 / 3, pts(3.33)],
  ['rounding: 2 decimals, half up (2/3 of 10)', session(100), 10, 2 / 3, pts(6.67)],
  ['rounding: half up without binary noise (1.005 is 1.01, not 1.00)', session(100), 10, 0.1005, pts(1.01)],
  ['rounding: 12.5 % of 3 points at threshold 100', session(100), 3, 0.125, pts(0.38, 3)],
  ['per-session: a one-element list is that session', session(), 10, [0.4], pts(5)],
  ['cumulative all: mean of per-session credits', cumulative(), 10, [0.8, 0.4, 0.2], pts(5.83)],
  ['cumulative all: surplus in one session does not make up another', cumulative(), 10, [1, 0.4], pts(7.5)],
  ['cumulative all: a missed session counts 0', cumulative(), 10, [0.8, undefined], pts(5)],
  ['cumulative: absent from every session, absent=zero posts 0', cumulative(), 10, [undefined, 0], pts(0)],
  [
    'cumulative: absent from every session, not-graded posts nothing',
    { ...cumulative(), absent: 'not-graded' },
    10,
    [undefined, undefined],
    undefined,
  ],
  ['cumulative best 2: the two highest credits averaged', cumulative(2), 10, [0.2, 0.8, 0.4], pts(7.5)],
  ['cumulative best 2: missed sessions are dropped first', cumulative(2), 10, [undefined, 0.8, undefined], pts(5)],
  ['cumulative best N above the session count: all sessions', cumulative(5), 10, [0.8, 0.4], pts(7.5)],
  ['cumulative best 1: the best session alone', cumulative(1), 10, [0.1, 0.6, 0.3], pts(7.5)],
  ['cumulative attended: share of sessions attended', cumulative(undefined, 'any'), 10, [0.1, undefined, 1], pts(6.67)],
  ['cumulative zero-length sessions (NaN) count as missed, no NaN', cumulative(), 10, [NaN, 0.8], pts(5)],
];

const line = (over: Partial<PreviewLine> & Pick<PreviewLine, 'userKey' | 'name'>): PreviewLine => ({
  score: 10,
  scoreMaximum: 10,
  attendedMinutes: 0,
  totalMinutes: 0,
  percent: 0,
  sessionsAttended: 0,
  sessionsCounted: 1,
  comment: '',
  ...over,
});

describe('grading policy', () => {
  describe('scoreFor', () => {
    for (const [name, policy, maxPoints, shares, expected] of ROWS) {
      it(name, () => {
        const score = scoreFor(policy, maxPoints, shares);
        assert.deepEqual(score, expected);
        if (score) assert.ok(Number.isFinite(score.scoreGiven) && Number.isFinite(score.scoreMaximum));
      });
    }

    it('refuses policies no activity can store', () => {
      assert.throws(() => scoreFor(session(), 0, 0.5), RangeError, 'maxPoints 0');
      assert.throws(() => scoreFor(session(), NaN, 0.5), RangeError, 'maxPoints NaN');
      assert.throws(() => scoreFor(session(0), 10, 0.5), RangeError, 'threshold 0 would divide by zero');
      assert.throws(() => scoreFor(session(120), 10, 0.5), RangeError, 'threshold above 100');
      assert.throws(() => scoreFor(cumulative(0), 10, [0.5]), RangeError, 'bestOf 0');
      assert.throws(() => scoreFor(session(), 10, [0.5, 0.6]), RangeError, 'per-session with two sessions');
    });
  });

  describe('policyOf', () => {
    type PolicyRow = [string, Parameters<typeof policyOf>[0], GradingPolicy];
    const POLICY_ROWS: PolicyRow[] = [
      ['stored before the new fields: attended, absent zero, per session', { enabled: true }, session('any')],
      ['proportional is full credit at 100 %', { policy: 'proportional' }, session(100)],
      ['threshold is full credit at its percent', { policy: 'threshold', thresholdPercent: 60 }, session(60)],
      ['threshold stored without a percent takes the default 75', { policy: 'threshold' }, session(75)],
      [
        'cumulative best of 3, not graded when absent',
        { policy: 'threshold', thresholdPercent: 90, scope: 'cumulative', bestOf: 3, absent: 'not-graded' },
        { ...cumulative(3, 90), absent: 'not-graded' },
      ],
    ];
    for (const [name, grading, expected] of POLICY_ROWS) {
      it(name, () => assert.deepEqual(policyOf(grading), expected));
    }

    it('the form as it is today: settings parse as before, graded per session with 0 when absent', () => {
      const settings = activitySettingsSchema.parse({
        title: 'Class',
        grading: { enabled: true, maxPoints: 20, policy: 'threshold', thresholdPercent: 80 },
      });
      assert.deepEqual(settings.grading, {
        enabled: true,
        maxPoints: 20,
        policy: 'threshold',
        thresholdPercent: 80,
      });
      assert.deepEqual(policyOf(settings.grading), { ...session(80) });
      const untouched = activitySettingsSchema.parse({ title: 'Class' }).grading;
      assert.equal(untouched.scope, undefined, 'unset fields stay unset: stored and parsed settings compare equal');
      assert.deepEqual(policyOf(untouched), session('any'));
      assert.equal(activitySettingsSchema.safeParse({ title: 'C', grading: { bestOf: 0 } }).success, false);
      assert.equal(activitySettingsSchema.safeParse({ title: 'C', grading: { scope: 'weekly' } }).success, false);
    });
  });

  describe('scoreComment', () => {
    type CommentRow = [string, number, number[], number | undefined, string];
    const COMMENT_ROWS: CommentRow[] = [
      ['one session', 42, [50], undefined, 'Attended 42 of 50 minutes (84 %)'],
      ['rounded down, never claims more', 39.99, [50], undefined, 'Attended 39 of 50 minutes (79 %)'],
      ['no binary noise: 0.8 of 50 is 40', 0.8 * 50, [50], undefined, 'Attended 40 of 50 minutes (80 %)'],
      ['several sessions', 95, [50, 50, 50], undefined, 'Attended 95 of 150 minutes over 3 sessions (63 %)'],
      [
        'best N counted',
        95,
        [50, 50, 50],
        2,
        'Attended 95 of 150 minutes over 3 sessions (63 %); the best 2 sessions count',
      ],
      ['best 1', 30, [50, 50], 1, 'Attended 30 of 100 minutes over 2 sessions (30 %); the best 1 session counts'],
      ['zero-length session: 0 %, no NaN', 0, [0], undefined, 'Attended 0 of 0 minutes (0 %)'],
      ['no session at all', 0, [], undefined, 'Attended 0 of 0 minutes (0 %)'],
      ['one minute is singular', 1, [1], undefined, 'Attended 1 of 1 minute (100 %)'],
      ['attended more than the session is capped', 70, [60], undefined, 'Attended 60 of 60 minutes (100 %)'],
      ['NaN minutes attended read as 0', NaN, [60], undefined, 'Attended 0 of 60 minutes (0 %)'],
    ];
    for (const [name, minutes, sessions, counted, expected] of COMMENT_ROWS) {
      it(name, () => assert.equal(scoreComment(minutes, sessions, counted), expected));
    }
  });

  describe('previewScores', () => {
    const rows: PreviewRow[] = [
      { userKey: 'u-ana', name: 'Ana', sharesBySession: { s1: 0.84, s2: 0.4 } },
      { userKey: 'u-ben', name: 'Ben', sharesBySession: { s1: undefined } },
      { userKey: 'u-cy', name: 'Cy', sharesBySession: { s2: 1 } },
    ];

    it('per session: the score, minutes and percent of the one session graded', () => {
      const lines = previewScores(session(), 10, rows, [{ id: 's1', minutes: 50 }]);
      assert.deepEqual(lines, [
        line({
          userKey: 'u-ana',
          name: 'Ana',
          attendedMinutes: 42,
          totalMinutes: 50,
          percent: 84,
          sessionsAttended: 1,
          comment: 'Attended 42 of 50 minutes (84 %)',
        }),
        line({
          userKey: 'u-ben',
          name: 'Ben',
          score: 0,
          totalMinutes: 50,
          comment: 'Attended 0 of 50 minutes (0 %)',
        }),
        line({ userKey: 'u-cy', name: 'Cy', score: 0, totalMinutes: 50, comment: 'Attended 0 of 50 minutes (0 %)' }),
      ]);
    });

    it("per session, absent not graded: 'not-graded' in place of a score", () => {
      const lines = previewScores(notGraded, 10, rows, [{ id: 's1', minutes: 50 }]);
      assert.deepEqual(
        lines.map((l) => [l.name, l.score]),
        [
          ['Ana', 10],
          ['Ben', 'not-graded'],
          ['Cy', 'not-graded'],
        ],
      );
    });

    it('cumulative all vs best 1 over two sessions', () => {
      const sessions = [
        { id: 's1', minutes: 50 },
        { id: 's2', minutes: 30 },
      ];
      const all = previewScores(cumulative(), 10, rows, sessions);
      assert.deepEqual(
        all.map((l) => [l.name, l.score, l.attendedMinutes, l.totalMinutes, l.percent, l.sessionsAttended]),
        [
          ['Ana', 7.5, 54, 80, 67, 2],
          ['Ben', 0, 0, 80, 0, 0],
          ['Cy', 5, 30, 80, 37, 1],
        ],
      );
      assert.equal(all[0]?.comment, 'Attended 54 of 80 minutes over 2 sessions (67 %)');
      const best = previewScores(cumulative(1), 10, rows, sessions);
      assert.deepEqual(
        best.map((l) => [l.name, l.score, l.sessionsCounted]),
        [
          ['Ana', 10, 1],
          ['Ben', 0, 1],
          ['Cy', 10, 1],
        ],
      );
      assert.equal(best[2]?.comment, 'Attended 30 of 80 minutes over 2 sessions (37 %); the best 1 session counts');
    });

    it('a zero-length session is left out: it neither lowers the mean nor posts a 0', () => {
      const sessions = [
        { id: 's1', minutes: 50 },
        { id: 'empty', minutes: 0 },
      ];
      const [ana] = previewScores(
        cumulative(),
        10,
        [{ userKey: 'a', name: 'A', sharesBySession: { s1: 0.8 } }],
        sessions,
      );
      assert.equal(ana?.score, 10);
      assert.equal(ana?.sessionsCounted, 1);
      const [alone] = previewScores(session(), 10, rows.slice(0, 1), [{ id: 'empty', minutes: 0 }]);
      assert.deepEqual(
        alone,
        line({
          userKey: 'u-ana',
          name: 'Ana',
          score: 'not-graded',
          sessionsCounted: 0,
          comment: 'Attended 0 of 0 minutes (0 %)',
        }),
      );
    });

    it('a session with no learners previews no lines', () => {
      assert.deepEqual(previewScores(session(), 10, [], [{ id: 's1', minutes: 50 }]), []);
    });
  });
});
