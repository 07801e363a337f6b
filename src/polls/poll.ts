import { AppError } from '../errors.js';

/** A question the leader put to the class during one class session. */
export interface Poll {
  /** `${sessionId}.${seq}`: the seq-th poll of the session (see pollIdOf). */
  pollId: string;
  roomKey: string;
  sessionId: string;
  seq: number;
  question: string;
  options: string[];
  /** Several options may be chosen; otherwise exactly one. */
  multiple: boolean;
  /** Leaders see counts only, never who chose what. */
  anonymous: boolean;
  createdBy: string;
  createdAt: Date;
}

/** One participant's answer: inserted once per poll and voter, never changed. */
export interface Vote {
  pollId: string;
  identity: string;
  name: string;
  /** Option indexes, ascending, without repeats. */
  choices: number[];
  at: Date;
}

/** What happened to a poll after it was created, each recorded at most once. */
export type PollFactKind = 'closed' | 'shared';

export interface PollFacts {
  closedAt?: Date;
  sharedAt?: Date;
}

export const OPTIONS_MIN = 2;
export const OPTIONS_MAX = 10;
export const QUESTION_MAX = 300;
export const OPTION_MAX = 120;
/** Polls one class session may hold: a runaway script cannot fill the store. */
export const POLLS_PER_SESSION = 50;

export const pollIdOf = (sessionId: string, seq: number): string => `${sessionId}.${seq}`;

export interface Tally {
  /** Votes per option, in option order. */
  counts: number[];
  /** People who voted (one vote may count for several options in a multiple-choice poll). */
  voters: number;
}

export function tally(poll: Pick<Poll, 'options'>, votes: readonly Pick<Vote, 'choices'>[]): Tally {
  const counts = poll.options.map(() => 0);
  for (const v of votes) {
    for (const c of v.choices) if (c >= 0 && c < counts.length) counts[c] = (counts[c] ?? 0) + 1;
  }
  return { counts, voters: votes.length };
}

/** Percent of voters who chose each option (rounded; a multiple-choice poll can sum over 100). */
export const percents = (t: Tally): number[] =>
  t.counts.map((c) => (t.voters === 0 ? 0 : Math.round((c * 100) / t.voters)));

/**
 * The choices a vote records: known options, no repeats, exactly one unless the poll allows several.
 * Answers them sorted, so one ballot has one form.
 */
export function validChoices(poll: Pick<Poll, 'options' | 'multiple'>, choices: readonly number[]): number[] {
  const unique = [...new Set(choices)].sort((a, b) => a - b);
  const known = unique.every((c) => Number.isInteger(c) && c >= 0 && c < poll.options.length);
  const sized = poll.multiple ? unique.length >= 1 : unique.length === 1;
  if (!known || !sized || unique.length !== choices.length) {
    throw new AppError('POLL_OPTION_INVALID', {
      details: { options: poll.options.length, multiple: poll.multiple },
    });
  }
  return unique;
}

/** A question and its options as the leader typed them: trimmed, none empty, no two alike. */
export function cleanDraft(draft: { question: string; options: readonly string[] }): {
  question: string;
  options: string[];
} {
  const question = draft.question.trim();
  const options = draft.options.map((o) => o.trim());
  const distinct = new Set(options.map((o) => o.toLocaleLowerCase())).size === options.length;
  if (!question || options.some((o) => !o) || !distinct) {
    throw new AppError('POLL_DRAFT_INVALID', { details: { optionsMin: OPTIONS_MIN, optionsMax: OPTIONS_MAX } });
  }
  return { question, options };
}
