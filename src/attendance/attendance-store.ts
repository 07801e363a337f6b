import type { ClassSessionInfo } from '../rooms/room-store.js';
import type { AttendanceFact, SfuSnapshot } from './attendance.js';

/** A session whose attendance is to be made final (it ended), until the finalizer has done so. */
export interface PendingFinal {
  sessionId: string;
  roomKey: string;
  endedAt: Date;
}

export interface ActiveSessionsQuery {
  identity?: string;
  roomKeys?: readonly string[];
  from?: Date;
  to?: Date;
  limit: number;
  factLimit: number;
}

/**
 * What attendance reads and records. Reads come from the room store's facts (class sessions, join/leave
 * events); what attendance adds is insert-only: the SFU's list at the end, and the "final" marker.
 */
export interface AttendanceStore {
  /** The room's class sessions, newest first, at most `limit` (every one without it: paging reads them all). */
  sessionsOf(roomKey: string, limit?: number): Promise<ClassSessionInfo[]>;
  session(sessionId: string): Promise<ClassSessionInfo | undefined>;
  /**
   * The sessions in which `identity` joined or left (or, without it, anyone in one of `roomKeys` did),
   * within [from, to] when given: from the join and leave facts, the newest first, at most `limit`, and
   * from no more than the newest `factLimit` facts that match (the bound on what one search reads).
   */
  activeSessions(query: ActiveSessionsQuery): Promise<Array<{ sessionId: string; roomKey: string }>>;
  /** Every join and leave recorded for the session. */
  factsOf(sessionId: string): Promise<AttendanceFact[]>;
  /** Who the SFU listed as connected just before the session ended (kept once per session and moment). */
  saveSnapshot(sessionId: string, snapshot: SfuSnapshot): Promise<void>;
  /** The latest snapshot that listed anyone, if any. */
  snapshotOf(sessionId: string): Promise<SfuSnapshot | undefined>;
  /** Notes an ended session for the finalizer; idempotent. */
  markPending(pending: PendingFinal): Promise<void>;
  pending(limit: number): Promise<PendingFinal[]>;
  clearPending(sessionId: string): Promise<void>;
  /** Marks the session's attendance final: true for the one caller (of any process) whose insert won. */
  markFinal(sessionId: string, at: Date): Promise<boolean>;
  /** When the session's attendance became final, if it has. */
  finalAt(sessionId: string): Promise<Date | undefined>;
}
