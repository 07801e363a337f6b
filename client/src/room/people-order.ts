/**
 * Search and order for the people panel (a class of 30 to 300): pure, so a table of cases tests them.
 * Works on any row with the fields below (ParticipantModel has them all).
 */
export type PeopleOrder = 'hand' | 'speaking' | 'name';

export const PEOPLE_ORDERS: readonly PeopleOrder[] = ['hand', 'speaking', 'name'];

export interface PersonFacts {
  name: string;
  isLocal: boolean;
  handRaised: boolean;
  /** ms since the epoch; 0 when unknown (such hands go after the timed ones). */
  handRaisedAt: number;
  speaking: boolean;
  /** ms since the epoch; 0 when never. */
  lastSpokeAt: number;
}

/** Lower case without accents, so "jose" finds "José" and "ÁLVARO" finds "Álvaro". */
export function foldName(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase().replace(/\s+/g, ' ').trim();
}

/** Whether `name` contains every word of `query` (in any order); an empty query matches everyone. */
export function matchesQuery(name: string, query: string): boolean {
  const words = foldName(query).split(' ').filter(Boolean);
  const folded = foldName(name);
  return words.every((word) => folded.includes(word));
}

const byName =
  (collator: Intl.Collator) =>
  (a: PersonFacts, b: PersonFacts): number =>
    collator.compare(a.name, b.name);

const COMPARE: Record<PeopleOrder, (a: PersonFacts, b: PersonFacts) => number> = {
  // Raised hands first, in the order they went up (the queue questions are taken in).
  hand: (a, b) =>
    Number(b.handRaised) - Number(a.handRaised) ||
    (a.handRaised ? (a.handRaisedAt || Infinity) - (b.handRaisedAt || Infinity) : 0),
  // Whoever speaks now, then whoever spoke last; people who never spoke keep their name order.
  speaking: (a, b) => Number(b.speaking) - Number(a.speaking) || b.lastSpokeAt - a.lastSpokeAt,
  name: () => 0,
};

/**
 * The rows to show: those matching `query`, you first, then by `order`, ties by name (in the launch's
 * language, case and accents aside). Never changes `people`.
 */
export function orderPeople<T extends PersonFacts>(
  people: readonly T[],
  order: PeopleOrder,
  query = '',
  locale?: string,
): T[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const names = byName(collator);
  const compare = COMPARE[order];
  return people
    .filter((p) => matchesQuery(p.name, query))
    .sort((a, b) => Number(b.isLocal) - Number(a.isLocal) || compare(a, b) || names(a, b));
}
