/** A stretch of time someone was in the room: `from` and `to` inclusive of a zero-length visit. */
export interface Interval {
  from: Date;
  to: Date;
}

/**
 * The part of an interval inside [start, end], or undefined when none of it is. A zero-length interval
 * survives: a join and a leave in the same webhook second still prove the person came.
 */
export function clip(interval: Interval, start: Date, end: Date): Interval | undefined {
  const from = Math.max(interval.from.getTime(), start.getTime());
  const to = Math.min(interval.to.getTime(), end.getTime());
  return from <= to ? { from: new Date(from), to: new Date(to) } : undefined;
}

/**
 * Unions overlapping intervals and bridges gaps of at most `graceMs` (a reconnect is one visit, and its gap
 * counts as present). Input order does not matter; the result is sorted and disjoint.
 */
export function mergeIntervals(intervals: readonly Interval[], graceMs: number): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.from.getTime() - b.from.getTime());
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged.at(-1);
    if (last && next.from.getTime() - last.to.getTime() <= graceMs) {
      if (next.to > last.to) last.to = next.to;
    } else {
      merged.push({ from: next.from, to: next.to });
    }
  }
  return merged;
}

/** Total time covered; the intervals must be disjoint (as mergeIntervals returns them). */
export function totalMs(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, i) => sum + (i.to.getTime() - i.from.getTime()), 0);
}
