import assert from 'node:assert/strict';
import {
  draftProblems,
  draftRequest,
  isPollPush,
  newestFirst,
  openPoll,
  pollBadge,
  pollToAnswer,
  toggleChoice,
} from '../../client/src/room/polls/poll-model.js';

const poll = (id: string, closed: boolean, myChoices: number[] | null = null) => ({ id, closed, myChoices });

describe('client polls model', () => {
  const polls = [poll('s.1', true), poll('s.2', false)];

  it('finds the open poll, the one to answer and the newest first', () => {
    assert.equal(openPoll(polls)?.id, 's.2');
    assert.equal(openPoll([poll('s.1', true)]), undefined);
    assert.equal(pollToAnswer(polls, true)?.id, 's.2');
    assert.equal(pollToAnswer(polls, false), undefined, 'observers answer nothing');
    assert.equal(pollToAnswer([poll('s.1', false, [0])], true), undefined, 'answered already');
    assert.deepEqual(
      newestFirst(polls).map((p) => p.id),
      ['s.2', 's.1'],
    );
  });

  it('badges an open poll until it is seen or answered', () => {
    assert.equal(pollBadge(polls, new Set()), 1);
    assert.equal(pollBadge(polls, new Set(['s.2'])), 0);
    assert.equal(pollBadge([poll('s.2', false, [1])], new Set()), 0);
    assert.equal(pollBadge([poll('s.1', true)], new Set()), 0);
  });

  it('checks a draft as the server will', () => {
    assert.deepEqual(draftProblems({ question: 'Q', options: ['a', 'b'] }), []);
    assert.deepEqual(draftProblems({ question: ' ', options: ['a', 'b'] }), ['question']);
    assert.deepEqual(draftProblems({ question: 'Q', options: ['a', ' '] }), ['options']);
    assert.deepEqual(draftProblems({ question: 'Q', options: ['a'] }), ['options']);
    assert.deepEqual(draftProblems({ question: 'Q', options: ['Yes', ' yes'] }), ['duplicate']);
    assert.deepEqual(draftRequest({ question: ' Q ', options: [' a', 'b '], multiple: true, anonymous: false }), {
      question: 'Q',
      options: ['a', 'b'],
      multiple: true,
      anonymous: false,
    });
  });

  it('toggles choices: one in a single-choice poll, several sorted otherwise', () => {
    assert.deepEqual(toggleChoice([0], 2, false), [2]);
    assert.deepEqual(toggleChoice([2], 0, true), [0, 2]);
    assert.deepEqual(toggleChoice([0, 2], 2, true), [0]);
  });

  it('recognises a poll push', () => {
    assert.equal(isPollPush({ type: 'changed', pollId: 's.1' }), true);
    assert.equal(isPollPush({ type: 'queue' }), false);
    assert.equal(isPollPush(null), false);
    assert.equal(isPollPush('changed'), false);
  });
});
