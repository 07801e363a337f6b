import { tp } from '../i18n';

/**
 * The counts the room's badges show from any panel (the control bar's People and Chat buttons): pure, so
 * the control bar only renders them.
 */
export interface BadgeCounts {
  /** People in the waiting room (instructors only: nobody else is told the queue). */
  waiting: number;
  /** Raised hands of the others (your own hand has its own control). */
  hands: number;
  /** Chat messages not seen yet; 0 while the chat is open. */
  unreadChat: number;
}

export interface BadgeInput {
  /** The waiting queue as the page holds it (empty for students). */
  waiting: readonly unknown[];
  participants: readonly { isLocal: boolean; handRaised: boolean }[];
  /** useChat's unread count. */
  unreadChat: number;
  /** The chat panel is open (its messages are being seen). */
  chatOpen: boolean;
  isLeader: boolean;
}

export function badgeCounts({ waiting, participants, unreadChat, chatOpen, isLeader }: BadgeInput): BadgeCounts {
  return {
    waiting: isLeader ? waiting.length : 0,
    hands: participants.filter((p) => p.handRaised && !p.isLocal).length,
    unreadChat: chatOpen ? 0 : Math.max(0, unreadChat),
  };
}

/**
 * The People button's badge in words ("2 waiting, 3 raised hands"), for its accessible description;
 * empty when there is nothing to tell.
 */
export function peopleBadgeText(counts: BadgeCounts): string {
  return [
    counts.waiting > 0 ? tp('people.badge.waiting', counts.waiting) : undefined,
    counts.hands > 0 ? tp('people.badge.hands', counts.hands) : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The Chat button's badge in words ("1 new message"), or empty. */
export function chatBadgeText(counts: BadgeCounts): string {
  return counts.unreadChat > 0 ? tp('people.badge.chat', counts.unreadChat) : '';
}

/**
 * Who knocked since the last queue (`before`): the entries of `now` whose identity was not in it, oldest
 * first as the queue lists them. The first queue a page receives (`before` undefined) knocks nobody: those
 * people were waiting already.
 */
export function newKnocks<T extends { identity: string }>(before: readonly T[] | undefined, now: readonly T[]): T[] {
  if (!before) return [];
  const seen = new Set(before.map((w) => w.identity));
  return now.filter((w) => !seen.has(w.identity));
}
