import type { ParticipantEvent } from './room-store.js';

/**
 * Who is present, and the peak, from a class session's join/leave facts: each identity's latest event by
 * time decides (a leave wins a tie: webhook times are whole seconds), so out-of-order delivery is harmless.
 * Per room of the class: someone who left the main room for a breakout in the same second is in the breakout.
 */
export function presenceOf(
  events: ReadonlyArray<Pick<ParticipantEvent, 'identity' | 'kind' | 'at' | 'place'>>,
  endedAt?: Date,
): { present: string[]; peakParticipants: number } {
  const ordered = [...events].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || (a.kind === b.kind ? 0 : a.kind === 'joined' ? -1 : 1),
  );
  const places = new Map<string, Set<string>>();
  let peak = 0;
  for (const e of ordered) {
    const mine = places.get(e.identity) ?? new Set<string>();
    if (e.kind === 'joined') mine.add(e.place ?? '');
    else mine.delete(e.place ?? '');
    if (mine.size > 0) places.set(e.identity, mine);
    else places.delete(e.identity);
    peak = Math.max(peak, places.size);
  }
  return { present: endedAt ? [] : [...places.keys()], peakParticipants: peak };
}
