/** Who did what to whom in a room, and when: one entry per leader action. */
export interface AuditEntry {
  roomKey: string;
  sessionId?: string;
  actor: string;
  action: string;
  target?: string;
  at: Date;
}

export interface AuditStore {
  /** Entries are only ever added (each its own document), so concurrent writers never lose one. */
  append(entry: AuditEntry): Promise<void>;
  /**
   * Adds the entry of an act that happens once (a recording's deletion) under its natural `key`: a repeat,
   * by a retry after a crash or by another process, adds nothing and answers false.
   */
  appendOnce(entry: AuditEntry, key: string): Promise<boolean>;
  /** A room's entries, oldest first. */
  log(roomKey: string): Promise<AuditEntry[]>;
}
