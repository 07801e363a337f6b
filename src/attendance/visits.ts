import type { Interval } from './intervals.js';
import type { SessionWindow } from './session-window.js';

/** What one person's joins and leaves say, before clipping and merging. */
export interface Visits {
  intervals: Interval[];
  /** Still joined after the last fact: the interval runs to the end of the window. */
  open: boolean;
  /** A leave came without its join. */
  lostJoin: boolean;
  /** The time of the person's last fact. */
  lastAt?: Date;
}

/**
 * Pairs one person's facts (in time order) into intervals.
 *
 * - A join while already joined adds nothing: its leave was lost or will come later; the earlier join stands.
 * - A leave without its join (the join webhook was lost): the join happened somewhere after the person's
 *   previous fact, so the interval starts there, or at the session start for a first fact. This errs toward
 *   present, since a lost webhook must never make someone who was there look absent.
 * - Webhook times are whole seconds, so a join and a leave can share one. Within the same second the fact that
 *   fits the current state goes first: a leave then a join for someone joined (a reconnect, or a second tab
 *   taking over the identity), a join then a leave for someone who was not (a visit of under a second).
 */
export function visitsOf(facts: ReadonlyArray<{ kind: 'joined' | 'left'; at: Date }>, window: SessionWindow): Visits {
  const intervals: Interval[] = [];
  let openFrom: Date | undefined;
  let lastAt: Date | undefined;
  let lostJoin = false;
  for (const group of sameInstant(facts)) {
    const at = group.at;
    let { joins, leaves } = group;
    while (joins + leaves > 0) {
      const leave = openFrom ? leaves > 0 : joins === 0;
      if (leave) {
        leaves--;
        lostJoin ||= openFrom === undefined;
        intervals.push({ from: openFrom ?? lastAt ?? window.start, to: at });
        openFrom = undefined;
      } else {
        joins--;
        openFrom ??= at;
      }
      lastAt = at;
    }
  }
  // A leave that never came: still here, until the session's end (or `now` while it runs).
  if (openFrom) intervals.push({ from: openFrom, to: window.end });
  return { intervals, open: openFrom !== undefined, lostJoin, lastAt };
}

/** Facts (already in time order) counted per instant. */
function sameInstant(facts: ReadonlyArray<{ kind: 'joined' | 'left'; at: Date }>) {
  const groups: Array<{ at: Date; joins: number; leaves: number }> = [];
  for (const f of facts) {
    let last = groups.at(-1);
    if (!last || last.at.getTime() !== f.at.getTime()) groups.push((last = { at: f.at, joins: 0, leaves: 0 }));
    if (f.kind === 'joined') last.joins++;
    else last.leaves++;
  }
  return groups;
}
