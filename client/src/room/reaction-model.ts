/**
 * Reactions: the topic, the fixed set offered and how many are shown. Imports nothing, so Node unit tests
 * load it as is; the hook is in reactions.ts.
 */

/** The data topic of reactions; who may send it is in data-policy.ts. */
export const REACTION_TOPIC = 'reaction';

/** The reactions offered: a fixed set by key, so a message can carry nothing but one of these. */
export const REACTIONS = {
  'thumbs-up': { emoji: '👍', name: 'reactions.thumbsUp' },
  clap: { emoji: '👏', name: 'reactions.clap' },
  laugh: { emoji: '😂', name: 'reactions.laugh' },
  heart: { emoji: '❤️', name: 'reactions.heart' },
  party: { emoji: '🎉', name: 'reactions.party' },
  surprised: { emoji: '😮', name: 'reactions.surprised' },
} as const;

export type ReactionKey = keyof typeof REACTIONS;

/** How long a reaction shows on its sender's tile. */
export const REACTION_MS = 4_000;
/** One reaction a second per sender is plenty; more is ignored (here and at every receiver). */
const MIN_GAP_MS = 1_000;

/** The reaction in a data message, or undefined for anything else (an unknown key, extra text). */
export function parseReaction(message: unknown): ReactionKey | undefined {
  const m = message as { type?: unknown; key?: unknown } | null;
  if (!m || m.type !== 'reaction' || typeof m.key !== 'string') return undefined;
  return Object.hasOwn(REACTIONS, m.key) ? (m.key as ReactionKey) : undefined;
}

export interface Reaction {
  key: ReactionKey;
  at: number;
}

/** Keeps a reaction from `identity` at `now` unless the same sender reacted less than a second ago. */
export function addReaction(
  shown: ReadonlyMap<string, Reaction>,
  identity: string,
  key: ReactionKey,
  now: number,
): Map<string, Reaction> | undefined {
  const last = shown.get(identity);
  if (last && now - last.at < MIN_GAP_MS) return undefined;
  const next = new Map([...shown].filter(([, r]) => now - r.at < REACTION_MS));
  next.set(identity, { key, at: now });
  return next;
}
