import type { ActiveSessionsQuery, AttendanceStore, PendingFinal } from '../../../src/attendance/attendance-store.js';
import type { AttendanceFact, SfuSnapshot } from '../../../src/attendance/attendance.js';
import type { ClassSessionInfo } from '../../../src/rooms/room-store.js';

/** The attendance store in memory, with the insert-once behaviour of the real one. */
export class MemoryAttendanceStore implements AttendanceStore {
  readonly classSessions: ClassSessionInfo[] = [];
  readonly facts: Array<AttendanceFact & { sessionId: string }> = [];
  readonly snapshots = new Map<string, SfuSnapshot[]>();
  readonly finals = new Map<string, Date>();
  readonly pendingFinals = new Map<string, PendingFinal>();

  async sessionsOf(roomKey: string, limit: number) {
    return this.classSessions
      .filter((s) => s.roomKey === roomKey)
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
      .slice(0, limit);
  }
  async session(sessionId: string) {
    return this.classSessions.find((s) => s.sessionId === sessionId);
  }
  async activeSessions(query: ActiveSessionsQuery) {
    const rooms = new Set(query.roomKeys ?? []);
    const found = new Map<string, string>();
    const facts = [...this.facts]
      .filter((f) => (query.identity !== undefined ? f.identity === query.identity : rooms.has(this.roomOf(f))))
      .filter((f) => (!query.from || f.at >= query.from) && (!query.to || f.at <= query.to))
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, query.factLimit);
    for (const f of facts) if (!found.has(f.sessionId)) found.set(f.sessionId, this.roomOf(f));
    return [...found].slice(0, query.limit).map(([sessionId, roomKey]) => ({ sessionId, roomKey }));
  }
  private roomOf(f: { sessionId: string }): string {
    return this.classSessions.find((s) => s.sessionId === f.sessionId)?.roomKey ?? '';
  }
  async factsOf(sessionId: string) {
    return this.facts.filter((f) => f.sessionId === sessionId);
  }
  async saveSnapshot(sessionId: string, snapshot: SfuSnapshot) {
    this.snapshots.set(sessionId, [...(this.snapshots.get(sessionId) ?? []), snapshot]);
  }
  async snapshotOf(sessionId: string) {
    return (this.snapshots.get(sessionId) ?? []).filter((s) => s.present.length > 0).at(-1);
  }
  async markPending(p: PendingFinal) {
    if (!this.pendingFinals.has(p.sessionId)) this.pendingFinals.set(p.sessionId, p);
  }
  async pending(limit: number) {
    return [...this.pendingFinals.values()].slice(0, limit);
  }
  async clearPending(sessionId: string) {
    this.pendingFinals.delete(sessionId);
  }
  async markFinal(sessionId: string, at: Date) {
    if (this.finals.has(sessionId)) return false;
    this.finals.set(sessionId, at);
    return true;
  }
  async finalAt(sessionId: string) {
    return this.finals.get(sessionId);
  }
}
