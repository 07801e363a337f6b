import { presenceOf } from '../../../src/rooms/presence.js';
import {
  currentWait,
  decisionFact,
  deriveRoom,
  marker,
  nextFact,
  openingFacts,
  successorId,
  viewOf,
  type ControlFact,
  type RoomView,
} from '../../../src/rooms/room-facts.js';
import type {
  ClassSession,
  ClassSessionInfo,
  ParticipantEvent,
  RoomRecord,
  RoomStore,
} from '../../../src/rooms/room-store.js';
import type { AuditEntry, AuditStore } from '../../../src/rooms/audit-store.js';
import type { WebhookStore } from '../../../src/livekit/webhook-store.js';
import type { OwnerRef } from '../../../src/rooms/room-owner.js';

type StoredRoom = Pick<RoomRecord, 'key' | 'owner' | 'activityId' | 'createdAt' | 'updatedAt' | 'currentSessionId'>;
const copy = <T>(value: T): T => structuredClone(value);

/**
 * RoomStore in memory, by the store's own rules: facts are kept by natural id (the first insert wins, a
 * duplicate is dropped), state is derived with the same functions (src/rooms/room-facts.ts), and the room's
 * session id is only a hint (see the contract test, run against this and the FerretDB store).
 */
export class MemoryRoomStore implements RoomStore {
  readonly rooms = new Map<string, StoredRoom>();
  readonly sessions = new Map<string, ClassSessionInfo>();
  readonly events = new Map<string, ParticipantEvent>();
  readonly facts = new Map<string, ControlFact>();
  readonly decisions = new Map<string, { decision: 'admitted' | 'denied'; at: Date }>();

  async ensure(input: Parameters<RoomStore['ensure']>[0]): Promise<RoomRecord> {
    if (!this.rooms.has(input.key)) {
      const now = new Date();
      this.rooms.set(input.key, { ...copy(input), createdAt: now, updatedAt: now });
    }
    return (await this.load(input.key)).room;
  }

  async get(key: string): Promise<RoomRecord | undefined> {
    return this.rooms.has(key) ? (await this.load(key)).room : undefined;
  }

  async keysOf(ref: OwnerRef): Promise<string[]> {
    return [...this.rooms.values()]
      .filter((r) =>
        ref.kind === 'lti'
          ? r.owner.kind === 'lti' && r.owner.platformId === ref.platformId
          : r.owner.kind === 'space' && r.owner.apiKeyId === ref.apiKeyId,
      )
      .map((r) => r.key);
  }

  async change(key: string, change: Parameters<RoomStore['change']>[1], at = new Date()): Promise<RoomRecord> {
    const { room, view } = await this.load(key);
    const fact = nextFact(view, change, at);
    if (!fact) return room;
    this.insert([fact]);
    return (await this.load(key)).room;
  }

  async decideWaiting(key: string, identity: string, decision: 'admitted' | 'denied') {
    const { view } = await this.load(key);
    const wait = currentWait(view, identity);
    const decisionId = `${key}\n${identity}\n${wait?.waitingSince?.toISOString() ?? ''}`;
    if (!this.decisions.has(decisionId)) this.decisions.set(decisionId, { decision, at: new Date() });
    const kept = this.decisions.get(decisionId) as { decision: 'admitted' | 'denied'; at: Date };
    if (wait) this.insert([decisionFact(view, wait, kept.decision, kept.at)]);
    return kept.decision;
  }

  async openClassSession(key: string, livekitSid: string | undefined, at: Date): Promise<ClassSessionInfo> {
    const { view } = await this.load(key);
    if (view.open) return this.info(view.sessionId) as ClassSessionInfo;
    const sessionId = view.next;
    if (!this.sessions.has(sessionId))
      this.sessions.set(sessionId, { sessionId, roomKey: key, livekitSid, startedAt: at });
    this.insert(openingFacts(view, sessionId, at));
    (this.rooms.get(key) as StoredRoom).currentSessionId = sessionId;
    return this.info(sessionId) as ClassSessionInfo;
  }

  async closeClassSession(key: string, at: Date): Promise<ClassSessionInfo | undefined> {
    const { view } = await this.load(key);
    if (!view.open) return this.info(view.sessionId);
    const sessionId = view.sessionId as string;
    this.insert([marker(key, sessionId, 'closed', at)]);
    const stored = this.sessions.get(sessionId);
    if (stored && !stored.endedAt) stored.endedAt = at;
    return this.info(sessionId);
  }

  async currentClassSession(key: string): Promise<ClassSession | undefined> {
    return this.session(this.latestId(key));
  }

  async latestClassSession(key: string): Promise<ClassSessionInfo | undefined> {
    return this.info(this.latestId(key));
  }

  async openClassSessions(limit: number): Promise<ClassSessionInfo[]> {
    return [...this.sessions.values()]
      .filter((s) => !s.endedAt)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
      .slice(0, limit)
      .map(copy);
  }

  private latestId(key: string): string | undefined {
    let sessionId = this.rooms.get(key)?.currentSessionId;
    while (this.sessions.has(successorId(key, sessionId))) sessionId = successorId(key, sessionId);
    return sessionId;
  }

  async recordParticipant(event: ParticipantEvent): Promise<boolean> {
    if (this.events.has(event.eventId)) return false;
    this.events.set(event.eventId, copy(event));
    return true;
  }

  async participantEvents(roomKey: string): Promise<ParticipantEvent[]> {
    return [...this.events.values()]
      .filter((e) => e.roomKey === roomKey)
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map(copy);
  }

  /** What a lost update of the room's session hint (FerretDB) would leave: readers must walk past it. */
  staleHint(key: string, sessionId: string | undefined): void {
    (this.rooms.get(key) as StoredRoom).currentSessionId = sessionId;
  }

  private insert(facts: readonly ControlFact[]): void {
    for (const f of facts) if (!this.facts.has(f.id)) this.facts.set(f.id, copy(f));
  }

  private factsOf(sessionId: string | undefined): ControlFact[] {
    return sessionId ? [...this.facts.values()].filter((f) => f.sessionId === sessionId).map(copy) : [];
  }

  private async load(key: string): Promise<{ room: RoomRecord; view: RoomView }> {
    const stored = this.rooms.get(key);
    if (!stored) throw new Error(`room ${key} does not exist`);
    let sessionId = stored.currentSessionId;
    for (;;) {
      const next = successorId(key, sessionId);
      if (this.factsOf(next).some((f) => f.kind === 'opened')) {
        sessionId = next;
        continue;
      }
      const view = viewOf({ roomKey: key, sessionId, current: this.factsOf(sessionId), next: this.factsOf(next) });
      return { room: { ...copy(stored), currentSessionId: sessionId, ...deriveRoom(view) }, view };
    }
  }

  private info(sessionId: string | undefined): ClassSessionInfo | undefined {
    const stored = sessionId ? this.sessions.get(sessionId) : undefined;
    return stored ? copy(stored) : undefined;
  }

  private session(sessionId: string | undefined): ClassSession | undefined {
    const stored = sessionId ? this.sessions.get(sessionId) : undefined;
    if (!stored) return undefined;
    const events = [...this.events.values()].filter((e) => e.sessionId === sessionId);
    return { ...copy(stored), ...presenceOf(events, stored.endedAt) };
  }
}

export class MemoryWebhookStore implements WebhookStore {
  readonly ids = new Map<string, string>();
  async seen(id: string): Promise<boolean> {
    return this.ids.has(id);
  }
  async mark(id: string, event: string): Promise<boolean> {
    if (this.ids.has(id)) return false;
    this.ids.set(id, event);
    return true;
  }
}

export class MemoryAuditStore implements AuditStore {
  readonly entries: AuditEntry[] = [];
  private readonly keys = new Set<string>();
  async append(entry: AuditEntry): Promise<void> {
    this.entries.push(copy(entry));
  }
  async appendOnce(entry: AuditEntry, key: string): Promise<boolean> {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    this.entries.push(copy(entry));
    return true;
  }
  async log(roomKey: string): Promise<AuditEntry[]> {
    return this.entries.filter((e) => e.roomKey === roomKey).sort((a, b) => a.at.getTime() - b.at.getTime());
  }
}
