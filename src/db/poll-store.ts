import type { Connection } from 'mongoose';
import type { Poll, PollFactKind, PollFacts, Vote } from '../polls/poll.js';
import type { PollStore } from '../polls/poll-store.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { retentionOf, type Retention } from './retention.js';

export const POLLS = 'room_polls';
export const POLL_FACTS = 'room_poll_facts';
export const POLL_VOTES = 'room_poll_votes';

export const POLL_INDEXES: readonly IndexSpec[] = [
  { collection: POLLS, keys: { sessionId: 1 }, name: 'session' },
  { collection: POLL_FACTS, keys: { pollId: 1 }, name: 'poll' },
  { collection: POLL_VOTES, keys: { pollId: 1 }, name: 'poll' },
  // Erasing one person (src/db/user-erasure.ts) finds their votes by identity.
  { collection: POLL_VOTES, keys: { identity: 1 }, name: 'identity' },
];

/** Polls and votes name who answered what in a class: they go with its attendance (attendance.retentionDays). */
export const pollRetentionIndexes = (retention: Retention): IndexSpec[] => [
  retention.index(POLLS, 'createdAt'),
  retention.index(POLL_FACTS, 'at'),
  retention.index(POLL_VOTES, 'at'),
];

/** `_id` is the poll id: the session's seq-th poll is inserted once. */
type PollDoc = Omit<Poll, 'pollId'> & { _id: string; expiryBucket: number };
/** `_id` is `${pollId} ${kind}`: each kind of fact happens once per poll. */
interface FactDoc {
  _id: string;
  pollId: string;
  kind: PollFactKind;
  at: Date;
  expiryBucket: number;
}
/** `_id` is `${pollId} ${identity}`: one vote per poll and voter. */
type VoteDoc = Vote & { _id: string; roomKey: string; sessionId: string; expiryBucket: number };

export function createPollStore(connection: Connection, options: { retentionDays?: number } = {}): PollStore {
  const retention = retentionOf(options.retentionDays);
  const polls = connection.collection<PollDoc>(POLLS);
  const facts = connection.collection<FactDoc>(POLL_FACTS);
  const votes = connection.collection<VoteDoc>(POLL_VOTES);
  const pollOf = ({
    _id,
    roomKey,
    sessionId,
    seq,
    question,
    options,
    multiple,
    anonymous,
    createdBy,
    createdAt,
  }: PollDoc) =>
    ({
      pollId: _id,
      roomKey,
      sessionId,
      seq,
      question,
      options,
      multiple,
      anonymous,
      createdBy,
      createdAt,
    }) satisfies Poll;

  return {
    create: ({ pollId, ...poll }) =>
      insertOnce(() => polls.insertOne({ _id: pollId, ...poll, ...retention.fields(poll.createdAt) })),
    async get(pollId) {
      const doc = await polls.findOne({ _id: pollId });
      return doc ? pollOf(doc) : undefined;
    },
    async ofSession(sessionId) {
      const docs = await polls.find({ sessionId }).toArray();
      return docs.map(pollOf).sort((a, b) => a.seq - b.seq);
    },
    async mark(pollId, kind, at) {
      await insertOnce(() => facts.insertOne({ _id: `${pollId} ${kind}`, pollId, kind, at, ...retention.fields(at) }));
    },
    async facts(pollIds) {
      const found = new Map<string, PollFacts>(pollIds.map((id) => [id, {}]));
      if (pollIds.length === 0) return found;
      for (const f of await facts.find({ pollId: { $in: [...pollIds] } }).toArray()) {
        const entry = found.get(f.pollId) ?? {};
        if (f.kind === 'closed') entry.closedAt = f.at;
        if (f.kind === 'shared') entry.sharedAt = f.at;
        found.set(f.pollId, entry);
      }
      return found;
    },
    vote: (poll, vote) =>
      insertOnce(() =>
        votes.insertOne({
          _id: `${vote.pollId} ${vote.identity}`,
          ...vote,
          roomKey: poll.roomKey,
          sessionId: poll.sessionId,
          ...retention.fields(vote.at),
        }),
      ),
    async votes(pollIds) {
      if (pollIds.length === 0) return [];
      const docs = await votes.find({ pollId: { $in: [...pollIds] } }).toArray();
      return docs.map(({ pollId, identity, name, choices, at }) => ({ pollId, identity, name, choices, at }));
    },
  };
}
