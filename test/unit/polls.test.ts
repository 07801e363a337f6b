import assert from 'node:assert/strict';
import type { AppError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { cleanDraft, percents, tally, validChoices } from '../../src/polls/poll.js';
import { createPollPush } from '../../src/polls/poll-push.js';
import { createPolls } from '../../src/polls/polls.js';
import { defaultSettings } from '../../src/rooms/activity-settings.js';
import type { Role } from '../../src/rooms/grants.js';
import { roomKeyOf, type RoomOwner } from '../../src/rooms/room-owner.js';
import type { Member } from '../../src/rooms/room-service.js';
import type { ClassSessionInfo } from '../../src/rooms/room-store.js';
import { fakePollStore } from '../support/fakes/poll-store.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as AppError).code;
  }
  return 'none';
};
const rejected = async (p: Promise<unknown>) =>
  p.then(
    () => 'none',
    (err: AppError) => err.code,
  );

describe('polls: tally and validation', () => {
  const single = { options: ['a', 'b', 'c'], multiple: false };
  const multiple = { options: ['a', 'b', 'c'], multiple: true };

  it('counts each choice and each voter', () => {
    const t = tally(single, [{ choices: [0] }, { choices: [2] }, { choices: [2] }]);
    assert.deepEqual(t, { counts: [1, 0, 2], voters: 3 });
    assert.deepEqual(percents(t), [33, 0, 67]);
    const m = tally(multiple, [{ choices: [0, 1] }, { choices: [1] }]);
    assert.deepEqual(m, { counts: [1, 2, 0], voters: 2 });
    assert.deepEqual(percents(m), [50, 100, 0], 'a multiple-choice poll can sum over 100');
    assert.deepEqual(percents(tally(single, [])), [0, 0, 0]);
  });

  const cases: Array<[string, typeof single, number[], number[] | 'POLL_OPTION_INVALID']> = [
    ['one option', single, [1], [1]],
    ['two options in a single-choice poll', single, [0, 1], 'POLL_OPTION_INVALID'],
    ['none', single, [], 'POLL_OPTION_INVALID'],
    ['an unknown option', single, [3], 'POLL_OPTION_INVALID'],
    ['a negative option', single, [-1], 'POLL_OPTION_INVALID'],
    ['a fraction', single, [0.5], 'POLL_OPTION_INVALID'],
    ['several, sorted', multiple, [2, 0], [0, 2]],
    ['a repeat', multiple, [1, 1], 'POLL_OPTION_INVALID'],
    ['none of several', multiple, [], 'POLL_OPTION_INVALID'],
  ];
  for (const [name, poll, choices, expected] of cases) {
    it(`choices: ${name}`, () => {
      if (typeof expected === 'string')
        assert.equal(
          code(() => validChoices(poll, choices)),
          expected,
        );
      else assert.deepEqual(validChoices(poll, choices), expected);
    });
  }

  it('cleans a draft: trimmed, no empty or repeated options', () => {
    assert.deepEqual(cleanDraft({ question: ' Q? ', options: [' a', 'b '] }), { question: 'Q?', options: ['a', 'b'] });
    assert.equal(
      code(() => cleanDraft({ question: ' ', options: ['a', 'b'] })),
      'POLL_DRAFT_INVALID',
    );
    assert.equal(
      code(() => cleanDraft({ question: 'Q', options: ['a', ' '] })),
      'POLL_DRAFT_INVALID',
    );
    assert.equal(
      code(() => cleanDraft({ question: 'Q', options: ['Yes', 'yes '] })),
      'POLL_DRAFT_INVALID',
    );
  });
});

describe('polls: tally pushes', () => {
  it('pushes at once, then at most once per interval with a trailing push', () => {
    let clock = 0;
    const sent: number[] = [];
    const timers: Array<{ at: number; run: () => void }> = [];
    const push = createPollPush({
      send: async () => void sent.push(clock),
      intervalMs: 500,
      now: () => clock,
      schedule: (run, ms) => void timers.push({ at: clock + ms, run }),
    });
    push.soon('r', 'p');
    assert.deepEqual(sent, [0]);
    clock = 100;
    push.soon('r', 'p');
    push.soon('r', 'p');
    assert.equal(timers.length, 1, 'a burst schedules one trailing push');
    assert.equal(timers[0]?.at, 500);
    clock = 500;
    timers.shift()?.run();
    assert.deepEqual(sent, [0, 500]);
    clock = 1200;
    push.soon('r', 'p');
    push.soon('other', 'p');
    assert.deepEqual(sent, [0, 500, 1200, 1200], 'rooms are throttled apart');
  });
});

describe('polls: the service on fakes', () => {
  const owner: RoomOwner = { kind: 'lti', platformId: 'p1', deploymentId: 'd1', resourceLinkId: 'link-1' };
  const member = (role: Role, userId: string): Member => ({
    owner,
    userId,
    name: userId,
    role,
    settings: defaultSettings('Class'),
  });
  const setup = () => {
    let session: ClassSessionInfo | undefined = {
      sessionId: 'ses_one',
      roomKey: roomKeyOf(owner),
      startedAt: new Date(),
    };
    const pushed: string[] = [];
    const store = fakePollStore();
    const polls = createPolls({
      store,
      rooms: { latestClassSession: async () => session },
      push: createPollPush({ send: async (_room, m) => void pushed.push(m.pollId), schedule: () => undefined }),
      logger: createLogger('silent'),
    });
    return {
      polls,
      pushed,
      store,
      end: () => {
        if (session) session = { ...session, endedAt: new Date() };
      },
    };
  };
  const draft = { question: 'Q', options: ['a', 'b'], multiple: false, anonymous: false };

  it('shows counts to leaders, to students once shared, and ballots only when not anonymous', async () => {
    const { polls, pushed } = setup();
    const teacher = member('instructor', 't');
    const ann = member('participant', 'ann');
    const poll = await polls.create(teacher, draft);
    assert.equal(poll.id, 'ses_one.1');
    assert.deepEqual(pushed, ['ses_one.1']);
    await polls.vote(ann, poll.id, [1]);
    assert.equal(await rejected(polls.vote(ann, poll.id, [0])), 'POLL_ALREADY_VOTED');
    const [asTeacher] = await polls.list(teacher);
    assert.deepEqual(asTeacher?.results?.counts, [0, 1]);
    assert.deepEqual(asTeacher?.ballots, [{ name: 'ann', choices: [1] }]);
    const [asAnn] = await polls.list(ann);
    assert.equal(asAnn?.results, null);
    assert.deepEqual(asAnn?.myChoices, [1]);
    await polls.mark(teacher, poll.id, 'shared');
    assert.deepEqual((await polls.list(ann))[0]?.results?.counts, [0, 1]);
    assert.equal((await polls.list(ann))[0]?.ballots, undefined);
  });

  it('keeps one poll open at a time; ending the class closes it', async () => {
    const { polls, end } = setup();
    const teacher = member('instructor', 't');
    const poll = await polls.create(teacher, draft);
    assert.equal(await rejected(polls.create(teacher, draft)), 'POLL_ALREADY_OPEN');
    await polls.mark(teacher, poll.id, 'closed');
    await polls.create(teacher, { ...draft, anonymous: true });
    end();
    assert.equal(await rejected(polls.create(teacher, draft)), 'POLL_NO_CLASS');
    assert.ok((await polls.list(teacher)).every((p) => p.closed));
    assert.equal(await rejected(polls.vote(member('participant', 'ann'), poll.id, [0])), 'POLL_CLOSED');
  });

  it('lets leaders alone launch, close and share, and observers not vote', async () => {
    const { polls } = setup();
    const poll = await polls.create(member('instructor', 't'), draft);
    assert.equal(await rejected(polls.create(member('participant', 'ann'), draft)), 'POLL_FORBIDDEN');
    assert.equal(await rejected(polls.mark(member('participant', 'ann'), poll.id, 'shared')), 'POLL_FORBIDDEN');
    assert.equal(await rejected(polls.vote(member('observer', 'o'), poll.id, [0])), 'POLL_FORBIDDEN');
    assert.equal(await rejected(polls.ofSession(member('participant', 'ann'), 'ses_one')), 'POLL_FORBIDDEN');
  });
});

describe('polls: a failed push', () => {
  it('is reported, never thrown, on the immediate and the trailing path', async () => {
    const errors: string[] = [];
    let clock = 0;
    const timers: Array<() => void> = [];
    const push = createPollPush({
      send: async () => {
        throw new Error('sfu down');
      },
      now: () => clock,
      schedule: (run) => void timers.push(run),
      onError: (err, room) => void errors.push(`${room}: ${(err as Error).message}`),
    });
    await push.now('r', 'p');
    clock = 10;
    push.soon('r', 'p');
    timers.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(errors, ['r: sfu down', 'r: sfu down']);
  });
});
