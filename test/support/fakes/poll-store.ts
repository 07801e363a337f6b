import type { Poll, PollFacts, Vote } from '../../../src/polls/poll.js';
import type { PollStore } from '../../../src/polls/poll-store.js';

/** An in-memory PollStore with the same unique keys as the real one. */
export function fakePollStore(): PollStore & { all: { polls: Map<string, Poll>; votes: Map<string, Vote> } } {
  const polls = new Map<string, Poll>();
  const facts = new Map<string, PollFacts>();
  const votes = new Map<string, Vote>();
  return {
    all: { polls, votes },
    async create(poll) {
      if (polls.has(poll.pollId)) return false;
      polls.set(poll.pollId, poll);
      return true;
    },
    get: async (id) => polls.get(id),
    ofSession: async (sessionId) =>
      [...polls.values()].filter((p) => p.sessionId === sessionId).sort((a, b) => a.seq - b.seq),
    async mark(id, kind, at) {
      const f = facts.get(id) ?? {};
      if (kind === 'closed') f.closedAt ??= at;
      else f.sharedAt ??= at;
      facts.set(id, f);
    },
    facts: async (ids) => new Map(ids.map((id) => [id, facts.get(id) ?? {}])),
    async vote(_poll, vote) {
      const key = `${vote.pollId} ${vote.identity}`;
      if (votes.has(key)) return false;
      votes.set(key, vote);
      return true;
    },
    votes: async (ids) => [...votes.values()].filter((v) => ids.includes(v.pollId)),
  };
}
