import assert from 'node:assert/strict';
import { attendanceCsv, CSV_COLUMNS } from '../../src/attendance/attendance-csv.js';
import {
  createClassAttendance,
  type AttendanceScope,
  type CourseRoster,
} from '../../src/attendance/class-attendance.js';
import { createFinalizer } from '../../src/attendance/finalizer.js';
import { gradePreview } from '../../src/attendance/grade-preview.js';
import { createLogger } from '../../src/log.js';
import { activitySettingsSchema, type ActivitySettingsInput } from '../../src/rooms/activity-settings.js';
import { identityIn, type RoomOwner } from '../../src/rooms/room-owner.js';
import { MemoryAttendanceStore } from '../support/fakes/attendance-store.js';

const owner: RoomOwner = { kind: 'lti', platformId: 'p1', deploymentId: 'd1', contextId: 'c1', resourceLinkId: 'r1' };
const ROOM = 'lc-room';
const key = (userId: string) => identityIn(owner, userId);
const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00Z`);

const roster: CourseRoster = {
  source: 'nrps',
  fetchedAt: at('08:00'),
  members: [
    { userId: 'teach', name: 'Ada Teacher', role: 'instructor', active: true },
    { userId: 's1', name: 'Ann', role: 'participant', active: true },
    { userId: 's2', name: 'Bob', role: 'participant', active: true },
    { userId: 's3', name: 'Cid', role: 'participant', active: true },
    { userId: 'gone', name: 'Dropped', role: 'participant', active: false },
  ],
};

function setup(grading: ActivitySettingsInput['grading'] = {}, extra: Partial<ActivitySettingsInput> = {}) {
  const store = new MemoryAttendanceStore();
  const attendance = createClassAttendance({ store, now: () => at('12:00') });
  const scope: AttendanceScope = {
    roomKey: ROOM,
    owner,
    settings: activitySettingsSchema.parse({ title: 'Class', grading, ...extra }),
    roster: async () => roster,
  };
  let n = 0;
  const session = (sessionId: string, from: string, to?: string) =>
    store.classSessions.push({
      sessionId,
      roomKey: ROOM,
      startedAt: at(from),
      ...(to ? { endedAt: at(to) } : {}),
    });
  const visit = (sessionId: string, userId: string, from: string, to?: string, role = 'participant') => {
    const base = { sessionId, identity: key(userId), name: userId, role };
    store.facts.push({ ...base, eventId: `e${++n}`, kind: 'joined', at: at(from) });
    if (to) store.facts.push({ ...base, eventId: `e${++n}`, kind: 'left', at: at(to) });
  };
  return { store, attendance, scope, session, visit };
}

describe('class attendance (sessions, tables, people)', () => {
  it('summarises sessions newest first, counting roster learners who came; inactive members are not expected', async () => {
    const { attendance, scope, session, visit } = setup();
    session('ses_a', '09:00', '10:00');
    session('ses_b', '11:00');
    visit('ses_a', 's1', '09:00', '10:00');
    visit('ses_a', 'teach', '09:00', '10:00', 'instructor');
    visit('ses_b', 's2', '11:10');
    const { tables } = await attendance.sessions(scope);
    assert.deepEqual(
      tables.map((t) => [t.summary.sessionId, t.summary.attended, t.summary.learners, t.summary.minutes]),
      [
        ['ses_b', 1, 3, 60],
        ['ses_a', 1, 3, 60],
      ],
    );
    const { table } = await attendance.session(scope, 'ses_a');
    assert.deepEqual(
      table.learners.map((e) => [e.userId, e.status]),
      [
        ['s1', 'present'],
        ['s2', 'absent'],
        ['s3', 'absent'],
      ],
    );
    assert.deepEqual(
      table.others.map((e) => e.userId),
      ['teach'],
    );
  });

  it('refuses a session of another room as unknown', async () => {
    const { attendance, scope, store } = setup();
    store.classSessions.push({ sessionId: 'ses_x', roomKey: 'lc-other', startedAt: at('09:00') });
    await assert.rejects(attendance.session(scope, 'ses_x'), { code: 'ATTENDANCE_SESSION_NOT_FOUND' });
  });

  it('measures lateness from the schedule only for a session near it (a weekly class reuses one link)', async () => {
    const { attendance, scope, session, visit } = setup({}, { startAt: '2026-12-01T09:00:00Z', durationMinutes: 60 });
    session('ses_near', '09:08', '10:00');
    session('ses_far', '11:00', '12:00');
    visit('ses_near', 's1', '09:08', '10:00');
    visit('ses_far', 's1', '11:08', '12:00');
    const near = (await attendance.session(scope, 'ses_near')).table.learners.find((e) => e.userId === 's1');
    const far = (await attendance.session(scope, 'ses_far')).table.learners.find((e) => e.userId === 's1');
    assert.equal(near?.status, 'late', 'joined 8 min after the scheduled 09:00');
    assert.equal(far?.status, 'late', 'joined 8 min after its own start');
    const onTime = setup({}, { startAt: '2026-12-01T09:00:00Z' });
    onTime.session('ses_far', '11:00', '12:00');
    onTime.visit('ses_far', 's1', '11:02', '12:00');
    const row = (await onTime.attendance.session(onTime.scope, 'ses_far')).table.learners[0];
    assert.equal(row?.status, 'present', 'within grace of its own start, whatever the old schedule said');
  });

  it("gives a person's history across sessions, absent where they missed one", async () => {
    const { attendance, scope, session, visit } = setup();
    session('ses_a', '09:00', '10:00');
    session('ses_b', '10:30', '11:00');
    visit('ses_b', 's2', '10:30', '11:00');
    const { person, sessions } = await attendance.person(scope, key('s2'));
    assert.equal(person.userId, 's2');
    assert.deepEqual(
      sessions.map((s) => [s.summary.sessionId, s.entry.status]),
      [
        ['ses_b', 'present'],
        ['ses_a', 'absent'],
      ],
    );
    await assert.rejects(attendance.person(scope, key('nobody')), { code: 'ATTENDANCE_PERSON_NOT_FOUND' });
  });
});

describe('grade preview', () => {
  it('per session: grades the latest ended session only, never a running one', async () => {
    const { attendance, scope, session, visit } = setup({ enabled: true, policy: 'proportional', maxPoints: 10 });
    session('ses_a', '08:00', '09:00');
    session('ses_b', '09:00', '10:00');
    session('ses_live', '11:00');
    visit('ses_a', 's1', '08:00', '09:00');
    visit('ses_b', 's1', '09:00', '09:30');
    visit('ses_b', 's2', '09:00', '10:00');
    visit('ses_live', 's3', '11:00');
    const preview = await gradePreview(attendance, scope);
    assert.equal(preview.sessionId, 'ses_b');
    assert.deepEqual(preview.sessionIds, ['ses_b']);
    assert.deepEqual(
      preview.lines.map((l) => [l.userId, l.score]),
      [
        ['s1', 5],
        ['s2', 10],
        ['s3', 0],
      ],
    );
    assert.match(preview.lines[0]!.comment, /Attended 30 of 60 minutes \(50 %\)/);
  });

  it('cumulative: the mean over ended sessions, best N; absent learners not graded when so chosen', async () => {
    const { attendance, scope, session, visit } = setup({
      enabled: true,
      policy: 'attended',
      scope: 'cumulative',
      bestOf: 1,
      absent: 'not-graded',
    });
    session('ses_a', '08:00', '09:00');
    session('ses_b', '09:00', '10:00');
    visit('ses_b', 's1', '09:00', '09:10');
    const preview = await gradePreview(attendance, scope);
    assert.equal(preview.sessionId, undefined);
    assert.deepEqual(preview.sessionIds, ['ses_b', 'ses_a']);
    const score = Object.fromEntries(preview.lines.map((l) => [l.userId, l.score]));
    assert.deepEqual(score, { s1: 10, s2: 'not-graded', s3: 'not-graded' });
  });
});

describe('attendance CSV', () => {
  it('starts with a BOM and the documented header, one row per person, and defuses spreadsheet formulas', () => {
    const summary = {
      sessionId: 'ses_a',
      startedAt: at('09:00'),
      endedAt: at('10:00'),
      minutes: 60,
      final: true,
      attended: 1,
      learners: 1,
    };
    const entry = {
      userKey: key('s1'),
      userId: 's1',
      name: '=HYPERLINK("x")',
      role: 'participant' as const,
      intervals: [],
      firstJoin: at('09:00'),
      lastLeave: at('09:30'),
      msPresent: 30 * 60_000,
      minutesPresent: 30,
      shareOfSession: 0.5,
      joins: 1,
      late: false,
      leftEarly: true,
      status: 'left-early' as const,
      inferred: false,
      onRoster: true,
    };
    const csv = attendanceCsv(summary, [entry]);
    assert.equal(csv.charCodeAt(0), 0xfeff);
    const [header, row] = csv.slice(1).trim().split('\n');
    assert.equal(header, CSV_COLUMNS.join(','));
    assert.equal(
      row,
      `ses_a,2026-12-01T09:00:00.000Z,2026-12-01T10:00:00.000Z,60,s1,"'=HYPERLINK(""x"")",participant,true,left-early,2026-12-01T09:00:00.000Z,2026-12-01T09:30:00.000Z,30,50,1,false,true,false`,
    );
  });
});

describe('attendance finalizer', () => {
  const logger = createLogger('silent');

  it('finalizes an ended session once, after it settled; a failing listener leaves it pending for the next pass', async () => {
    const store = new MemoryAttendanceStore();
    let clock = at('10:00');
    const seen: string[] = [];
    let fail = true;
    const finalizer = createFinalizer({
      store,
      settleMs: 5_000,
      logger,
      now: () => clock,
      onFinal: async (p) => {
        if (fail) throw new Error('LMS down');
        seen.push(p.sessionId);
      },
    });
    await store.markPending({ sessionId: 'ses_a', roomKey: ROOM, endedAt: at('10:00') });
    assert.equal(await finalizer.runOnce(), 0, 'not settled yet');
    clock = new Date(at('10:00').getTime() + 5_000);
    assert.equal(await finalizer.runOnce(), 0, 'the listener failed');
    assert.equal(store.pendingFinals.size, 1);
    fail = false;
    assert.equal(await finalizer.runOnce(), 1);
    assert.deepEqual(seen, ['ses_a']);
    assert.ok(store.finals.has('ses_a'));
    assert.equal(store.pendingFinals.size, 0);
    // Noted again (a duplicate webhook): already final, so the listeners do not run again.
    await store.markPending({ sessionId: 'ses_a', roomKey: ROOM, endedAt: at('10:00') });
    assert.equal(await finalizer.runOnce(), 1);
    assert.deepEqual(seen, ['ses_a']);
  });
});
