import { LINE_ALIVE_MS, type WaitlistEntry, type WaitlistStore } from '../../../src/rooms/waitlist.js';

/** The waitlist in memory, with the same rules as src/db/waitlist-store.ts. For unit tests only. */
export class MemoryWaitlistStore implements WaitlistStore {
  readonly rooms = new Map<string, Map<string, WaitlistEntry>>();

  private line(roomKey: string): Map<string, WaitlistEntry> {
    let line = this.rooms.get(roomKey);
    if (!line) this.rooms.set(roomKey, (line = new Map()));
    return line;
  }

  async enter(roomKey: string, person: { identity: string; name: string }, at: Date): Promise<void> {
    const line = this.line(roomKey);
    const current = line.get(person.identity);
    const left = !current || at.getTime() - current.seenAt.getTime() > LINE_ALIVE_MS;
    line.set(person.identity, left ? { ...person, enteredAt: at, seenAt: at } : { ...current, seenAt: at });
  }

  async entries(roomKey: string): Promise<WaitlistEntry[]> {
    return [...this.line(roomKey).values()].map((e) => ({ ...e }));
  }

  async admitted(roomKey: string, identity: string, at: Date): Promise<void> {
    const entry = this.line(roomKey).get(identity);
    if (entry) entry.admittedAt = at;
  }

  async remove(roomKey: string, identities: readonly string[]): Promise<void> {
    for (const identity of identities) this.line(roomKey).delete(identity);
  }
}
