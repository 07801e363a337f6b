/**
 * Polls in the room, pure: what the badge and the vote card show, and the teacher's draft checks. Imports
 * nothing, so Node unit tests load it as is (they check POLL_TOPIC against the server's).
 */

/** The server's POLL_TOPIC: a push there means "fetch the polls again" (data-policy: from the tool only). */
export const POLL_TOPIC = 'poll';

/** The part of a PollDto (api/contract) these helpers read. */
interface PollDto {
  id: string;
  closed: boolean;
  myChoices: number[] | null;
}
export const OPTIONS_MIN = 2;
export const OPTIONS_MAX = 10;
export const QUESTION_MAX = 300;
export const OPTION_MAX = 120;

/** The poll taking votes now (the server keeps at most one open per class session). */
export const openPoll = <P extends PollDto>(polls: readonly P[]): P | undefined => polls.find((p) => !p.closed);

/** The open poll this person still has to answer (leaders and observers answer none here). */
export function pollToAnswer<P extends PollDto>(polls: readonly P[], canVote: boolean): P | undefined {
  const open = openPoll(polls);
  return canVote && open && open.myChoices === null ? open : undefined;
}

/** The Polls button's badge: an open poll not yet seen in the panel nor answered. */
export const pollBadge = (polls: readonly PollDto[], seen: ReadonlySet<string>): number => {
  const open = openPoll(polls);
  return open && !seen.has(open.id) && open.myChoices === null ? 1 : 0;
};

/** Newest first: the open poll on top, then the ones before it. */
export const newestFirst = <P>(polls: readonly P[]): P[] => [...polls].reverse();

export type DraftProblem = 'question' | 'options' | 'duplicate';

/** What the teacher's draft still lacks, checked as the server will (trimmed, none empty, no two alike). */
export function draftProblems(draft: { question: string; options: readonly string[] }): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (!draft.question.trim()) problems.push('question');
  const options = draft.options.map((o) => o.trim());
  if (options.length < OPTIONS_MIN || options.some((o) => !o)) problems.push('options');
  if (new Set(options.filter(Boolean).map((o) => o.toLocaleLowerCase())).size !== options.filter(Boolean).length)
    problems.push('duplicate');
  return problems;
}

/** The request for a checked draft. */
export const draftRequest = (draft: {
  question: string;
  options: readonly string[];
  multiple: boolean;
  anonymous: boolean;
}): { question: string; options: string[]; multiple: boolean; anonymous: boolean } => ({
  question: draft.question.trim(),
  options: draft.options.map((o) => o.trim()),
  multiple: draft.multiple,
  anonymous: draft.anonymous,
});

/** Toggles option `index` in a choice: a single-choice poll keeps only the latest pick. */
export function toggleChoice(choices: readonly number[], index: number, multiple: boolean): number[] {
  if (!multiple) return [index];
  return choices.includes(index) ? choices.filter((c) => c !== index) : [...choices, index].sort((a, b) => a - b);
}

/** Whether a data message is a poll push ({ type: 'changed', pollId }). */
export const isPollPush = (message: unknown): boolean =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'changed';
