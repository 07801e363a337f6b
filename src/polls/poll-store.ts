import type { Poll, PollFactKind, PollFacts, Vote } from './poll.js';

/**
 * Polls, their votes and what happened to them (closed, shared), as insert-only facts: the store's updates
 * are not atomic, its unique inserts are.
 */
export interface PollStore {
  /** Inserts the poll under its natural id; false when that id (the session's seq-th poll) exists. */
  create(poll: Poll): Promise<boolean>;
  get(pollId: string): Promise<Poll | undefined>;
  /** A session's polls, in the order they were created. */
  ofSession(sessionId: string): Promise<Poll[]>;
  /** Records a fact once; a later or concurrent one of the same kind records nothing. */
  mark(pollId: string, kind: PollFactKind, at: Date): Promise<void>;
  facts(pollIds: readonly string[]): Promise<Map<string, PollFacts>>;
  /** Inserts the vote once per poll and voter; false when the voter already voted. */
  vote(poll: Poll, vote: Vote): Promise<boolean>;
  votes(pollIds: readonly string[]): Promise<Vote[]>;
}
