import assert from 'node:assert/strict';
import { LaunchedUser, useSfuFixture, waitUntil, type TestParticipant } from '../support/room-client.js';

interface Poll {
  id: string;
  question: string;
  options: string[];
  closed: boolean;
  shared: boolean;
  myChoices: number[] | null;
  results: { counts: number[]; percents: number[]; voters: number } | null;
  ballots?: Array<{ name: string; choices: number[] }>;
}

describe('polls: launched by the teacher, answered once by each student, kept with the class session', function () {
  this.timeout(90_000);
  const fixture = useSfuFixture('poll-learner');

  const post = async (user: LaunchedUser, path: string, body?: unknown) => {
    const res = await user.request('POST', `/room/polls${path}`, body);
    const text = await res.text();
    return { status: res.status, code: (text ? JSON.parse(text) : {}).error?.code as string | undefined, text };
  };
  const refused = async (user: LaunchedUser, path: string, body: unknown, status: number, code: string) => {
    const r = await post(user, path, body);
    assert.deepEqual({ status: r.status, code: r.code }, { status, code }, r.text);
  };
  const polls = async (user: LaunchedUser) => (await user.json<{ polls: Poll[] }>('GET', '/room/polls')).polls;
  const pushes = (p: TestParticipant) => p.data.filter((d) => d.topic === 'poll').length;

  /** A class with its teacher connected, so the class session is open. */
  const liveClass = async () => {
    const id = await LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Polls' });
    const teacher = await fixture.launch('instructor', id);
    const t = await fixture.connect(teacher);
    await waitUntil(
      async () =>
        (await fixture.store.latestClassSession(t.grant.room))?.endedAt === undefined &&
        (await fixture.store.latestClassSession(t.grant.room)) !== undefined,
      10_000,
      'the class session to open',
    );
    return { id, teacher, t };
  };
  const draft = { question: 'Which planet is largest?', options: ['Mars', 'Jupiter', 'Venus'] };

  it('create, vote once, live pushes, close, share, and who sees what', async () => {
    const { id, teacher, t } = await liveClass();
    const student = await fixture.newStudent(id);
    const other = await fixture.newStudent(id);
    const s = await fixture.connect(student);

    const created = await teacher.json<Poll>('POST', '/room/polls', draft, 201);
    assert.equal(created.closed, false);
    assert.deepEqual(created.results?.counts, [0, 0, 0]);
    await waitUntil(() => pushes(s.p) >= 1, 10_000, 'the poll push to the student');
    const fromServer = s.p.data.find((d) => d.topic === 'poll');
    assert.equal(fromServer?.from, undefined, 'the push comes from the server, not a participant');
    assert.deepEqual(fromServer?.payload, { type: 'changed', pollId: created.id });

    // Before sharing, a student sees the question and no counts.
    const [seen] = await polls(student);
    assert.equal(seen?.question, draft.question);
    assert.equal(seen?.results, null);
    assert.equal(seen?.ballots, undefined);

    const before = pushes(t.p);
    assert.equal((await post(student, `/${created.id}/vote`, { choices: [1] })).status, 204);
    await refused(student, `/${created.id}/vote`, { choices: [0] }, 409, 'POLL_ALREADY_VOTED');
    assert.equal((await post(other, `/${created.id}/vote`, { choices: [2] })).status, 204);
    await waitUntil(() => pushes(t.p) > before, 10_000, 'a tally push to the teacher');

    const [live] = await polls(teacher);
    assert.deepEqual(live?.results, { counts: [0, 1, 1], percents: [0, 50, 50], voters: 2 });
    assert.equal(live?.ballots?.length, 2);
    const [mine] = await polls(student);
    assert.deepEqual(mine?.myChoices, [1]);

    // Only one open poll; leaders only; closing stops votes; sharing shows counts to students.
    await refused(teacher, '', draft, 409, 'POLL_ALREADY_OPEN');
    await refused(student, '', draft, 403, 'POLL_FORBIDDEN');
    await refused(student, `/${created.id}/close`, undefined, 403, 'POLL_FORBIDDEN');
    assert.equal((await post(teacher, `/${created.id}/close`)).status, 204);
    assert.equal((await post(teacher, `/${created.id}/close`)).status, 204, 'closing again changes nothing');
    const late = await fixture.newStudent(id);
    await refused(late, `/${created.id}/vote`, { choices: [0] }, 409, 'POLL_CLOSED');
    assert.equal((await polls(student))[0]?.results, null);
    assert.equal((await post(teacher, `/${created.id}/share`)).status, 204);
    const [shared] = await polls(student);
    assert.deepEqual(shared?.results?.counts, [0, 1, 1]);
    assert.equal(shared?.closed, true);
    assert.equal(shared?.ballots, undefined, 'students never see who chose what');

    // The next poll may open now; the session keeps both for the attendance view (leaders only).
    await teacher.json<Poll>('POST', '/room/polls', { ...draft, multiple: true, anonymous: true }, 201);
    const session = await fixture.store.latestClassSession(t.grant.room);
    const kept = await teacher.json<{ polls: Poll[] }>('GET', `/room/polls/sessions/${session?.sessionId}`);
    assert.equal(kept.polls.length, 2);
    assert.equal(kept.polls[1]?.ballots, undefined, 'an anonymous poll has no ballots, even for leaders');
    const asStudent = await student.request('GET', `/room/polls/sessions/${session?.sessionId}`);
    assert.equal(asStudent.status, 403);
  });

  it('refuses bad input with clear 4xx codes', async () => {
    const { id, teacher } = await liveClass();
    const student = await fixture.newStudent(id);
    const observer = await fixture.launch('observer', id);
    await refused(teacher, '', { question: 'Q', options: ['only one'] }, 400, 'VALIDATION_FAILED');
    await refused(
      teacher,
      '',
      { question: 'Q', options: Array.from({ length: 11 }, (_, i) => `o${i}`) },
      400,
      'VALIDATION_FAILED',
    );
    await refused(teacher, '', { question: '  ', options: ['a', 'b'] }, 400, 'POLL_DRAFT_INVALID');
    await refused(teacher, '', { question: 'Q', options: ['Yes', 'yes'] }, 400, 'POLL_DRAFT_INVALID');
    await refused(teacher, '', { ...draft, extra: 1 }, 400, 'VALIDATION_FAILED');
    await refused(teacher, '', 'not an object', 400, 'BAD_REQUEST');
    const poll = await teacher.json<Poll>('POST', '/room/polls', draft, 201);
    await refused(student, `/${poll.id}/vote`, { choices: [3] }, 400, 'POLL_OPTION_INVALID');
    await refused(student, `/${poll.id}/vote`, { choices: [0, 1] }, 400, 'POLL_OPTION_INVALID');
    await refused(student, `/${poll.id}/vote`, { choices: [] }, 400, 'VALIDATION_FAILED');
    await refused(student, `/${poll.id}/vote`, { choices: ['1'] }, 400, 'VALIDATION_FAILED');
    await refused(student, '/ses_unknown.1/vote', { choices: [0] }, 404, 'POLL_NOT_FOUND');
    await refused(student, '/nonsense/vote', { choices: [0] }, 404, 'POLL_NOT_FOUND');
    await refused(teacher, `/${poll.id}/reopen`, undefined, 404, 'NOT_FOUND');
    await refused(observer, `/${poll.id}/vote`, { choices: [0] }, 403, 'POLL_FORBIDDEN');

    // Another class's teacher and student cannot reach this poll.
    const elsewhere = await LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Elsewhere' });
    const stranger = await fixture.newStudent(elsewhere);
    await refused(stranger, `/${poll.id}/vote`, { choices: [0] }, 404, 'POLL_NOT_FOUND');
    const unauthenticated = await fetch(`${fixture.env.tool.url}/api/room/polls`);
    assert.equal(unauthenticated.status, 401);
  });

  it('counts two concurrent votes of one student once, and two concurrent launches open one poll', async () => {
    const { id, teacher } = await liveClass();
    const student = await fixture.newStudent(id);
    const launches = await Promise.all([post(teacher, '', draft), post(teacher, '', draft)]);
    assert.deepEqual(launches.map((l) => l.status).sort(), [201, 409]);
    const [poll] = await polls(teacher);
    const votes = await Promise.all([
      post(student, `/${poll?.id}/vote`, { choices: [0] }),
      post(student, `/${poll?.id}/vote`, { choices: [1] }),
    ]);
    assert.deepEqual(votes.map((v) => v.status).sort(), [204, 409]);
    const [after] = await polls(teacher);
    assert.equal(after?.results?.voters, 1);
    assert.equal(
      after?.results?.counts.reduce((a, b) => a + b, 0),
      1,
    );
  });

  it('refuses a poll when no class is live', async () => {
    const id = await LaunchedUser.createActivity(fixture.env.tool.url, { title: 'Not started' });
    const teacher = await fixture.launch('instructor', id);
    await refused(teacher, '', draft, 409, 'POLL_NO_CLASS');
    assert.deepEqual(await polls(teacher), []);
  });
});
