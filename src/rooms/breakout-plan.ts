/** How many breakout rooms one round may have. */
export const BREAKOUT_MIN_ROOMS = 2;
export const BREAKOUT_MAX_ROOMS = 50;

/** The breakout rooms of a round are numbered 1..count; everyone's place is a room number. */
export interface BreakoutPlan {
  count: number;
  /** identity -> room number (1-based). */
  placements: Record<string, number>;
}

export const breakoutTitle = (room: number): string => `Room ${room}`;

/** A Fisher-Yates shuffle with an injectable random source, so tests can pin it. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Splits the learners at random into `count` rooms whose sizes differ by at most one. */
export function randomPlan(learners: readonly string[], count: number, random = Math.random): BreakoutPlan {
  const placements: Record<string, number> = {};
  shuffled([...new Set(learners)], random).forEach((identity, i) => {
    placements[identity] = (i % count) + 1;
  });
  return { count, placements };
}

/**
 * A plan the leader made by hand: every named room must exist. Someone left out (a learner who came in late)
 * is put into the smallest room, so nobody is left behind in the main room by accident.
 */
export function manualPlan(
  learners: readonly string[],
  count: number,
  assignment: Readonly<Record<string, number>>,
): BreakoutPlan | { error: 'room-out-of-range'; identity: string } {
  const placements: Record<string, number> = {};
  for (const [identity, room] of Object.entries(assignment)) {
    if (!Number.isInteger(room) || room < 1 || room > count) return { error: 'room-out-of-range', identity };
    placements[identity] = room;
  }
  for (const identity of learners) {
    if (placements[identity] === undefined) placements[identity] = smallestRoom(placements, count);
  }
  return { count, placements };
}

/** The emptiest room (the lowest number among equals). */
export function smallestRoom(placements: Readonly<Record<string, number>>, count: number): number {
  const sizes = new Array<number>(count + 1).fill(0);
  for (const room of Object.values(placements)) sizes[room] = (sizes[room] ?? 0) + 1;
  let best = 1;
  for (let room = 2; room <= count; room++) if ((sizes[room] ?? 0) < (sizes[best] ?? 0)) best = room;
  return best;
}

/** Who is in each room, in room order. */
export function roomsOf(plan: BreakoutPlan): Array<{ room: number; title: string; identities: string[] }> {
  const rooms = Array.from({ length: plan.count }, (_, i) => ({
    room: i + 1,
    title: breakoutTitle(i + 1),
    identities: [] as string[],
  }));
  for (const [identity, room] of Object.entries(plan.placements)) rooms[room - 1]?.identities.push(identity);
  for (const r of rooms) r.identities.sort();
  return rooms;
}
