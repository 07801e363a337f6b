/**
 * The line for a full class: a student refused for capacity gets a place, and seats that free up go to the
 * line in order, never to whoever asks first. The order is each entry's `enteredAt`, written once by the
 * insert that creates the entry (unique per room and person), so every tool process reads the same order
 * without a counter. Only its owner's page touches an entry afterwards (`seen`, `admitted`), so the store's
 * lost concurrent updates cannot reorder anyone.
 */
export interface WaitlistEntry {
  identity: string;
  name: string;
  enteredAt: Date;
  /** The last time the person's page asked for a seat: a page that stopped asking has left the line. */
  seenAt: Date;
  /** When a seat was given to them: it stays theirs for ADMITTED_HOLD_MS while their page connects. */
  admittedAt?: Date;
}

export interface WaitlistStore {
  /**
   * Enters the line once (one entry per room and person) or, for someone already in it, notes that their
   * page asked again. A person whose page had stopped asking goes to the back.
   */
  enter(roomKey: string, person: { identity: string; name: string }, at: Date): Promise<void>;
  /** The room's entries, in no particular order (seatFor sorts). */
  entries(roomKey: string): Promise<WaitlistEntry[]>;
  admitted(roomKey: string, identity: string, at: Date): Promise<void>;
  /** Drops entries of people who are in the class now. */
  remove(roomKey: string, identities: readonly string[]): Promise<void>;
}

/** A waiting page asks every 5 s (client join-refusal.ts): three missed asks and the place is gone. */
export const LINE_ALIVE_MS = 20_000;
/** A seat given from the line is held this long for its person to connect, then offered to the next. */
export const ADMITTED_HOLD_MS = 30_000;

export interface SeatFacts {
  entries: readonly WaitlistEntry[];
  /** Identities connected to the class now, this person's included if connected. */
  present: ReadonlySet<string>;
  identity: string;
  maxParticipants: number;
  now: Date;
}

/** `position` is 1 for the first in line; `fromLine`: the seat came from the person's place in line. */
export type Seat = { admit: true; fromLine: boolean } | { admit: false; position: number };

const inOrder = (a: WaitlistEntry, b: WaitlistEntry) =>
  a.enteredAt.getTime() - b.enteredAt.getTime() || (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0);

/**
 * Whether a participant (never an instructor) gets a seat. Connected people always keep theirs (a
 * reconnect); seats held for people admitted from the line count as taken; a free seat goes to the
 * first in line, so someone new queues behind the line even while a seat is free.
 */
export function seatFor(f: SeatFacts): Seat {
  if (f.present.has(f.identity)) return { admit: true, fromLine: false };
  const t = f.now.getTime();
  const live = f.entries.filter((e) => !f.present.has(e.identity) && t - e.seenAt.getTime() <= LINE_ALIVE_MS);
  const holding = (e: WaitlistEntry) => e.admittedAt !== undefined && t - e.admittedAt.getTime() <= ADMITTED_HOLD_MS;
  const own = live.find((e) => e.identity === f.identity);
  if (own && holding(own)) return { admit: true, fromLine: true };

  const others = [...f.present].filter((i) => i !== f.identity).length;
  const held = live.filter((e) => e.identity !== f.identity && holding(e)).length;
  const free = f.maxParticipants - others - held;
  const line = live.filter((e) => !holding(e) && e.identity !== f.identity).sort(inOrder);
  const ahead = own ? line.filter((e) => inOrder(e, own) < 0).length : line.length;
  if (ahead < free) return { admit: true, fromLine: own !== undefined };
  return { admit: false, position: ahead + 1 };
}
