import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { identityIn, roomKeyOf } from '../rooms/room-owner.js';
import type { Member } from '../rooms/room-service.js';
import type { ClassSessionInfo, RoomStore } from '../rooms/room-store.js';
import {
  cleanDraft,
  percents,
  pollIdOf,
  POLLS_PER_SESSION,
  tally,
  validChoices,
  type Poll,
  type PollFacts,
  type Vote,
} from './poll.js';
import type { PollPush } from './poll-push.js';
import type { PollStore } from './poll-store.js';

export interface PollDraft {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
}

/** A poll as one person may see it (see `viewOf` for who sees what). */
export interface PollView {
  id: string;
  sessionId: string;
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  createdAt: Date;
  closed: boolean;
  shared: boolean;
  /** What this person chose; null before they vote. */
  myChoices: number[] | null;
  /** Counts: for leaders always, for everyone else once a leader shared them. */
  results: { counts: number[]; percents: number[]; voters: number } | null;
  /** Who chose what: leaders only, and never for an anonymous poll. */
  ballots?: Array<{ name: string; choices: number[] }>;
}

export interface PollsDeps {
  store: PollStore;
  rooms: Pick<RoomStore, 'latestClassSession'>;
  push: PollPush;
  logger: Logger;
  now?: () => Date;
}

const isLeader = (m: Member) => m.role === 'instructor';

/**
 * Polls of a live class: a leader asks (one open poll per session at a time), everyone but observers
 * answers once, the results stay with the class session for the attendance view.
 */
export function createPolls(deps: PollsDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ module: 'polls' });

  const leader = (m: Member) => {
    if (!isLeader(m)) throw new AppError('POLL_FORBIDDEN');
  };

  /** A poll is open until a leader closes it or its class session ends. */
  const isClosed = (poll: Poll, facts: PollFacts | undefined, latest: ClassSessionInfo | undefined) =>
    facts?.closedAt !== undefined || latest?.sessionId !== poll.sessionId || latest.endedAt !== undefined;

  const views = async (m: Member, polls: Poll[]): Promise<PollView[]> => {
    if (polls.length === 0) return [];
    const ids = polls.map((p) => p.pollId);
    const roomKey = roomKeyOf(m.owner);
    const [facts, votes, latest] = await Promise.all([
      deps.store.facts(ids),
      deps.store.votes(ids),
      deps.rooms.latestClassSession(roomKey),
    ]);
    const me = identityIn(m.owner, m.userId);
    return polls.map((poll) => {
      const own = votes.filter((v) => v.pollId === poll.pollId);
      const f = facts.get(poll.pollId);
      return viewOf(poll, own, f, isClosed(poll, f, latest), { leader: isLeader(m), me });
    });
  };

  /** The member's room's poll, or POLL_NOT_FOUND (another room's poll is as good as unknown). */
  const pollOf = async (m: Member, pollId: string): Promise<Poll> => {
    const poll = await deps.store.get(pollId);
    if (!poll || poll.roomKey !== roomKeyOf(m.owner)) throw new AppError('POLL_NOT_FOUND');
    return poll;
  };

  const pushNow = (poll: Poll) => deps.push.now(poll.roomKey, poll.pollId);

  return {
    /** The polls of the room's latest class session. */
    async list(m: Member): Promise<PollView[]> {
      const latest = await deps.rooms.latestClassSession(roomKeyOf(m.owner));
      return latest ? views(m, await deps.store.ofSession(latest.sessionId)) : [];
    },

    /** One session's polls with their results, for the attendance view (leaders). */
    async ofSession(m: Member, sessionId: string): Promise<PollView[]> {
      leader(m);
      const roomKey = roomKeyOf(m.owner);
      return views(
        m,
        (await deps.store.ofSession(sessionId)).filter((p) => p.roomKey === roomKey),
      );
    },

    async create(m: Member, draft: PollDraft): Promise<PollView> {
      leader(m);
      const { question, options } = cleanDraft(draft);
      const roomKey = roomKeyOf(m.owner);
      const latest = await deps.rooms.latestClassSession(roomKey);
      if (!latest || latest.endedAt) throw new AppError('POLL_NO_CLASS');
      const earlier = await deps.store.ofSession(latest.sessionId);
      const facts = await deps.store.facts(earlier.map((p) => p.pollId));
      if (earlier.some((p) => !isClosed(p, facts.get(p.pollId), latest))) throw new AppError('POLL_ALREADY_OPEN');
      const seq = earlier.length + 1;
      if (seq > POLLS_PER_SESSION) throw new AppError('POLL_TOO_MANY', { details: { max: POLLS_PER_SESSION } });
      const poll: Poll = {
        pollId: pollIdOf(latest.sessionId, seq),
        roomKey,
        sessionId: latest.sessionId,
        seq,
        question,
        options,
        multiple: draft.multiple,
        anonymous: draft.anonymous,
        createdBy: identityIn(m.owner, m.userId),
        createdAt: now(),
      };
      // The seq-th poll of a session is inserted once: of two leaders launching at once, one gets the slot.
      if (!(await deps.store.create(poll))) throw new AppError('POLL_ALREADY_OPEN');
      log.info({ roomKey, sessionId: poll.sessionId, pollId: poll.pollId }, 'poll opened');
      await pushNow(poll);
      return viewOf(poll, [], undefined, false, { leader: true, me: poll.createdBy });
    },

    async vote(m: Member, pollId: string, choices: number[]): Promise<void> {
      if (m.role === 'observer') throw new AppError('POLL_FORBIDDEN', { message: 'Observers do not vote in polls.' });
      const poll = await pollOf(m, pollId);
      const [facts, latest] = await Promise.all([
        deps.store.facts([pollId]),
        deps.rooms.latestClassSession(poll.roomKey),
      ]);
      if (isClosed(poll, facts.get(pollId), latest)) throw new AppError('POLL_CLOSED');
      const vote: Vote = {
        pollId,
        identity: identityIn(m.owner, m.userId),
        name: m.name,
        choices: validChoices(poll, choices),
        at: now(),
      };
      if (!(await deps.store.vote(poll, vote))) throw new AppError('POLL_ALREADY_VOTED');
      deps.push.soon(poll.roomKey, pollId);
    },

    /** Closes or shares a poll; doing it again changes nothing. */
    async mark(m: Member, pollId: string, kind: 'closed' | 'shared'): Promise<void> {
      leader(m);
      const poll = await pollOf(m, pollId);
      await deps.store.mark(pollId, kind, now());
      log.info({ roomKey: poll.roomKey, pollId, kind }, 'poll changed');
      await pushNow(poll);
    },
  };
}

export type Polls = ReturnType<typeof createPolls>;

/** Leaders see counts and (unless anonymous) ballots; others see counts once shared, and their own choice. */
export function viewOf(
  poll: Poll,
  votes: readonly Vote[],
  facts: PollFacts | undefined,
  closed: boolean,
  viewer: { leader: boolean; me: string },
): PollView {
  const shared = facts?.sharedAt !== undefined;
  const t = tally(poll, votes);
  const mine = votes.find((v) => v.identity === viewer.me);
  return {
    id: poll.pollId,
    sessionId: poll.sessionId,
    question: poll.question,
    options: poll.options,
    multiple: poll.multiple,
    anonymous: poll.anonymous,
    createdAt: poll.createdAt,
    closed,
    shared,
    myChoices: mine ? mine.choices : null,
    results: viewer.leader || shared ? { counts: t.counts, percents: percents(t), voters: t.voters } : null,
    ...(viewer.leader && !poll.anonymous
      ? { ballots: votes.map((v) => ({ name: v.name, choices: v.choices })).sort((a, b) => cmp(a.name, b.name)) }
      : {}),
  };
}

const cmp = (a: string, b: string) => a.localeCompare(b);
