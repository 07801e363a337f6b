import type { ParticipantEvent } from './room-store.js';

/**
 * Who is present, and the peak, from a class session's join/leave facts: each identity's latest event by
 * time decides (a leave wins a tie: webhook times are whole seconds), so out-of-order delivery is harmless.
 */
export function presenceOf(
  events: ReadonlyArray<Pick<ParticipantEvent, 'identity' | 'kind' | 'at'>>,
  endedAt?: Date,
): { present: string[]; peakParticipants: number } {
  const ordered = [...events].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || (a.kind === b.kind ? 0 : a.kind === 'joined' ? -1 : 1),
  );
  const present = new Set<string>();
  let peak = 0;
  for (const e of ordered) {
    if (e.kind === 'joined') present.add(e.identity);
    else present.delete(e.identity);
    peak = Math.max(peak, present.size);
  }
  return { present: endedAt ? [] : [...present], peakParticipants: peak };
}
