import assert from 'node:assert/strict';
import {
  ariaSortOf,
  DEFAULT_SORT,
  nextSort,
  sortEntries,
  type Sort,
  type SortableEntry,
} from '../../client/src/attendance/attendance-sort.js';
import { fileNameOf } from '../../client/src/attendance/file-name.js';

/**
 * The attendance view's pure parts. attendance-text.ts imports the catalogs with bundler-style paths, so it
 * is loaded at run time by URL (as client-i18n.test.ts does) and typed here by what the tests call.
 */
const load = (path: string): Promise<unknown> => import(new URL(`../../client/src/${path}`, import.meta.url).href);

interface Clock {
  timeZone: string;
  locale: string;
}
type Policy = {
  policy: 'attended' | 'proportional' | 'threshold';
  thresholdPercent: number;
  absent: 'zero' | 'not-graded';
  scope: 'per-session' | 'cumulative';
  bestOf?: number;
  maxPoints: number;
  autoPost: boolean;
};
type Sync = {
  state: string;
  postedScore?: number;
  postedAt?: string;
  attempts?: number;
  nextAttemptAt?: string;
  reason?: string;
};
const text = (await load('attendance/attendance-text.ts')) as {
  statusText(status: string): string;
  statusMark(status: string): string;
  policySentence(policy: Policy, clock: Clock): string;
  syncText(line: { sync: Sync; scoreMaximum: number }, clock: Clock): { text: string; detail?: string };
  cannotPostText(reason: string): string;
  rosterText(roster: { source: string; fetchedAt: string }, clock: Clock): string;
  scoreText(score: number | 'not-graded', max: number, clock: Clock): string;
  sessionTimeText(session: { startedAt: string; endedAt?: string }, clock: Clock): string;
  inFlight(lines: Array<{ sync: Sync }>): boolean;
};
const { setLocale } = (await load('i18n/index.ts')) as { setLocale(locale: string): Promise<void> };

const UTC: Clock = { timeZone: 'UTC', locale: 'en' };

const entry = (name: string, o: Partial<SortableEntry> = {}): SortableEntry => ({
  name,
  status: 'present',
  minutesPresent: 30,
  percentOfSession: 50,
  joins: 1,
  firstJoin: '2026-03-02T10:00:00.000Z',
  lastLeave: '2026-03-02T10:30:00.000Z',
  ...o,
});
const absent = (name: string) =>
  entry(name, {
    status: 'absent',
    minutesPresent: 0,
    percentOfSession: 0,
    joins: 0,
    firstJoin: undefined,
    lastLeave: undefined,
  });
const names = (list: SortableEntry[]) => list.map((e) => e.name);

describe('client attendance view', () => {
  afterEach(() => setLocale('en'));

  describe('sortEntries', () => {
    const people = [
      entry('Zoë', { minutesPresent: 55, percentOfSession: 92, joins: 2, firstJoin: '2026-03-02T10:01:00.000Z' }),
      absent('Ana'),
      entry('émile', { status: 'late', minutesPresent: 40, firstJoin: '2026-03-02T10:12:00.000Z' }),
      entry('Bea', { status: 'late-and-left-early', minutesPresent: 10, lastLeave: '2026-03-02T10:20:00.000Z' }),
      entry('carl', { status: 'left-early', minutesPresent: 40, firstJoin: '2026-03-02T09:59:00.000Z' }),
    ];
    const cases: Array<[string, Sort, string[]]> = [
      ['name, ignoring case and accents', DEFAULT_SORT, ['Ana', 'Bea', 'carl', 'émile', 'Zoë']],
      ['name, descending', { column: 'name', direction: 'descending' }, ['Zoë', 'émile', 'carl', 'Bea', 'Ana']],
      [
        'status from present to absent',
        { column: 'status', direction: 'ascending' },
        ['Zoë', 'émile', 'carl', 'Bea', 'Ana'],
      ],
      [
        'status from absent to present',
        { column: 'status', direction: 'descending' },
        ['Ana', 'Bea', 'carl', 'émile', 'Zoë'],
      ],
      // Ties (émile and carl at 40) fall back to the name in either direction.
      ['minutes, most first', { column: 'minutes', direction: 'descending' }, ['Zoë', 'carl', 'émile', 'Bea', 'Ana']],
      ['minutes, least first', { column: 'minutes', direction: 'ascending' }, ['Ana', 'Bea', 'carl', 'émile', 'Zoë']],
      // Nobody without a first join moves up when the order flips: the absent stay last.
      [
        'first join, earliest first',
        { column: 'firstJoin', direction: 'ascending' },
        ['carl', 'Bea', 'Zoë', 'émile', 'Ana'],
      ],
      [
        'first join, latest first',
        { column: 'firstJoin', direction: 'descending' },
        ['émile', 'Zoë', 'Bea', 'carl', 'Ana'],
      ],
      [
        'last leave, latest first',
        { column: 'lastLeave', direction: 'descending' },
        ['carl', 'émile', 'Zoë', 'Bea', 'Ana'],
      ],
      ['percent', { column: 'percent', direction: 'descending' }, ['Zoë', 'Bea', 'carl', 'émile', 'Ana']],
      ['joins', { column: 'joins', direction: 'descending' }, ['Zoë', 'Bea', 'carl', 'émile', 'Ana']],
    ];
    for (const [name, sort, expected] of cases) {
      it(`by ${name}`, () => assert.deepEqual(names(sortEntries(people, sort)), expected));
    }

    it('returns a new array and keeps the given one as it was', () => {
      const before = names(people);
      sortEntries(people, { column: 'minutes', direction: 'ascending' });
      assert.deepEqual(names(people), before);
    });

    it('keeps the given order for people with the same name and value', () => {
      const twins = [entry('Sam', { joins: 1 }), entry('Sam', { joins: 2 })];
      assert.deepEqual(
        sortEntries(twins, { column: 'minutes', direction: 'descending' }).map((e) => e.joins),
        [1, 2],
      );
    });
  });

  describe('nextSort and ariaSortOf', () => {
    it('flips the sorted column and starts another one ascending', () => {
      assert.deepEqual(nextSort(DEFAULT_SORT, 'name'), { column: 'name', direction: 'descending' });
      assert.deepEqual(nextSort({ column: 'name', direction: 'descending' }, 'name'), DEFAULT_SORT);
      assert.deepEqual(nextSort({ column: 'name', direction: 'descending' }, 'joins'), {
        column: 'joins',
        direction: 'ascending',
      });
    });
    it('gives aria-sort to the sorted column only', () => {
      assert.equal(ariaSortOf({ column: 'minutes', direction: 'descending' }, 'minutes'), 'descending');
      assert.equal(ariaSortOf({ column: 'minutes', direction: 'descending' }, 'name'), undefined);
    });
  });

  describe('fileNameOf', () => {
    const fallback = 'attendance.csv';
    const cases: Array<[string | null, string]> = [
      ['attachment; filename="attendance-2026-03-02-ses_1.csv"', 'attendance-2026-03-02-ses_1.csv'],
      ['attachment; filename=plain.csv', 'plain.csv'],
      [`attachment; filename="a.csv"; filename*=UTF-8''asistencia%20d%C3%ADa.csv`, 'asistencia día.csv'],
      ['attachment; filename="quoted \\"name\\".csv"', 'quoted "name".csv'],
      ['attachment; filename="../../etc/passwd"', 'passwd'],
      ['attachment; filename="..\\\\evil.csv"', 'evil.csv'],
      ['attachment; filename=".."', fallback],
      [`attachment; filename*=UTF-8''%E0%A4%A`, fallback],
      ['attachment', fallback],
      [null, fallback],
    ];
    for (const [header, expected] of cases) {
      it(`${String(header)} -> ${expected}`, () => assert.equal(fileNameOf(header, fallback), expected));
    }
  });

  describe('status words', () => {
    const statuses = ['present', 'late', 'left-early', 'late-and-left-early', 'absent'];
    it('names every status in English and Spanish, each with its own mark', async () => {
      assert.deepEqual(statuses.map(text.statusText), [
        'Present',
        'Late',
        'Left early',
        'Late and left early',
        'Absent',
      ]);
      assert.equal(new Set(statuses.map(text.statusMark)).size, statuses.length);
      await setLocale('es');
      assert.deepEqual(statuses.map(text.statusText), [
        'Presente',
        'Llegó tarde',
        'Salió antes',
        'Llegó tarde y salió antes',
        'Ausente',
      ]);
    });
  });

  describe('policySentence', () => {
    const base: Policy = {
      policy: 'threshold',
      thresholdPercent: 75,
      absent: 'zero',
      scope: 'per-session',
      maxPoints: 10,
      autoPost: false,
    };
    const cases: Array<[string, Partial<Policy>, string]> = [
      [
        'threshold, per session',
        {},
        'Full points at 75% of the session, proportional below; absent: 0; per session (the latest one that ended). Out of 10 points.',
      ],
      [
        'any attendance, absent not graded',
        { policy: 'attended', absent: 'not-graded' },
        'Full points for any time present; absent: not graded; per session (the latest one that ended). Out of 10 points.',
      ],
      [
        'proportional, cumulative',
        { policy: 'proportional', scope: 'cumulative', maxPoints: 2.5 },
        'Points in proportion to the time present; absent: 0; the mean over all sessions. Out of 2.5 points.',
      ],
      [
        'the best 3 sessions',
        { scope: 'cumulative', bestOf: 3 },
        'Full points at 75% of the session, proportional below; absent: 0; the mean of the best 3 sessions. Out of 10 points.',
      ],
      [
        'the best session',
        { scope: 'cumulative', bestOf: 1 },
        'Full points at 75% of the session, proportional below; absent: 0; the best session counts. Out of 10 points.',
      ],
    ];
    for (const [name, policy, expected] of cases) {
      it(name, () => assert.equal(text.policySentence({ ...base, ...policy }, UTC), expected));
    }
    it('in Spanish, with the locale’s percent and decimals', async () => {
      await setLocale('es');
      assert.equal(
        text.policySentence({ ...base, maxPoints: 7.5 }, { timeZone: 'UTC', locale: 'es' }),
        'Todos los puntos al 75\u00a0% de la sesión, proporcional por debajo; ausente: 0; por sesión (la última que terminó). Sobre 7,5 puntos.',
      );
    });
  });

  describe('syncText', () => {
    const line = (sync: Sync) => ({ sync, scoreMaximum: 10 });
    const cases: Array<[string, Sync, { text: string; detail?: string }]> = [
      ['not posted', { state: 'not-posted' }, { text: 'Not posted yet' }],
      ['pending', { state: 'pending', postedScore: 8 }, { text: 'Sending…' }],
      [
        'retrying, with the next try and the last answer',
        {
          state: 'retrying',
          attempts: 2,
          nextAttemptAt: '2026-03-02T11:05:00.000Z',
          reason: '503 Service Unavailable',
        },
        {
          text: 'The LMS did not take it; trying again at 11:05 AM',
          detail: 'Last answer: 503 Service Unavailable Attempts so far: 2.',
        },
      ],
      ['retrying, nothing known yet', { state: 'retrying' }, { text: 'The LMS did not take it; trying again soon' }],
      [
        'posted, with score and time',
        { state: 'posted', postedScore: 7.5, postedAt: '2026-03-02T11:00:00.000Z' },
        { text: 'Posted 7.5 / 10, Mar 2, 2026, 11:00 AM' },
      ],
      ['posted, no time', { state: 'posted', postedScore: 10 }, { text: 'Posted 10 / 10' }],
      ['applied', { state: 'applied' }, { text: 'The LMS already holds a newer score' }],
      [
        'refused with the reason',
        { state: 'refused', reason: '422 User not enrolled in course' },
        {
          text: 'Refused by the LMS: 422 User not enrolled in course',
          detail: 'Fix the cause in the LMS (for example, re-enrol the student), then retry.',
        },
      ],
      ['not graded', { state: 'not-graded' }, { text: 'Not graded under the policy' }],
    ];
    for (const [name, sync, expected] of cases) {
      it(name, () => assert.deepEqual(text.syncText(line(sync), UTC), expected));
    }
    it('shows times in the user’s zone', () => {
      const paris = { timeZone: 'Europe/Paris', locale: 'en-GB' };
      const next = text.syncText(line({ state: 'retrying', nextAttemptAt: '2026-03-02T11:05:00.000Z' }), paris);
      assert.equal(next.text, 'The LMS did not take it; trying again at 12:05');
    });
    it('in Spanish', async () => {
      await setLocale('es');
      const es = { timeZone: 'UTC', locale: 'es' };
      assert.equal(text.syncText(line({ state: 'posted', postedScore: 7.5 }), es).text, 'Publicada 7,5 / 10');
      assert.equal(text.syncText(line({ state: 'refused' }), es).text, 'El LMS la rechazó');
    });
    it('asks again while a grade is pending or retrying, not otherwise', () => {
      assert.equal(text.inFlight([{ sync: { state: 'posted' } }, { sync: { state: 'pending' } }]), true);
      assert.equal(text.inFlight([{ sync: { state: 'retrying' } }]), true);
      assert.equal(text.inFlight([{ sync: { state: 'refused' } }, { sync: { state: 'not-posted' } }]), false);
      assert.equal(text.inFlight([]), false);
    });
  });

  describe('other texts', () => {
    it('says why grades cannot be posted, naming the Moodle setting', () => {
      for (const reason of ['no-ags', 'no-score-scope', 'no-line-item-scope']) {
        assert.match(text.cannotPostText(reason), /Use this service for grade sync and column management/);
      }
      assert.match(text.cannotPostText('not-enabled'), /Grading is turned off/);
    });
    it('says where the roster came from', () => {
      const at = '2026-03-02T09:58:00.000Z';
      assert.equal(
        text.rosterText({ source: 'nrps', fetchedAt: at }, UTC),
        'Roster from the LMS (its list of course members), read at 9:58 AM.',
      );
      assert.match(text.rosterText({ source: 'launches', fetchedAt: at }, UTC), /^Roster: the people who opened/);
    });
    it('writes scores and session times', () => {
      assert.equal(text.scoreText(8, 10, UTC), '8 / 10');
      assert.equal(text.scoreText('not-graded', 10, UTC), 'Not graded');
      assert.match(
        text.sessionTimeText({ startedAt: '2026-03-02T10:00:00.000Z', endedAt: '2026-03-02T11:00:00.000Z' }, UTC),
        /^Mar 2, 2026, 10:00\s?–\s?11:00\sAM$/,
      );
      assert.equal(text.sessionTimeText({ startedAt: '2026-03-02T10:00:00.000Z' }, UTC), 'Mar 2, 2026, 10:00 AM');
    });
  });
});
