/** A class session as attendance sees it: when it ran, and when it was meant to start. */
export interface AttendedSession {
  sessionId: string;
  startedAt: Date;
  endedAt?: Date;
  /** The activity's planned start, when it has one: lateness is measured from it. */
  scheduledStart?: Date;
}

/** The stretch attendance is counted over. */
export interface SessionWindow {
  start: Date;
  end: Date;
  /** The session has an end: nobody can come back, so leaving early means something. */
  ended: boolean;
  /** What lateness is measured from. */
  expectedStart: Date;
}

/**
 * An open session counts up to `now`. Without one the function stays pure (no clock read) and counts up to
 * the latest evidence it has: the SFU's list, else the latest fact, else the start.
 */
export function sessionWindow(
  session: AttendedSession,
  facts: ReadonlyArray<{ at: Date }>,
  options: { now?: Date; reconcile?: { at: Date } },
): SessionWindow {
  const start = session.startedAt;
  const latestFact = facts.reduce((t, f) => Math.max(t, f.at.getTime()), start.getTime());
  const end = session.endedAt ?? options.now ?? options.reconcile?.at ?? new Date(latestFact);
  return {
    start,
    // A clock that ran backwards must not make a negative session.
    end: end < start ? start : end,
    ended: session.endedAt !== undefined,
    expectedStart: session.scheduledStart ?? start,
  };
}
