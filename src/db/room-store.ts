import type { Connection } from 'mongoose';
import { presenceOf } from '../rooms/presence.js';
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
} from '../rooms/room-facts.js';
import { namespaceOf, ownerOfLaunch, type OwnerRef, type RoomOwner } from '../rooms/room-owner.js';
import type { ClassSession, ClassSessionInfo, ParticipantEvent, RoomRecord, RoomStore } from '../rooms/room-store.js';
import { expiryFields } from './expiry.js';
import { isDuplicateKey, type IndexSpec } from './indexes.js';
import { looseSchema, modelOf, strip } from './models.js';
import { createReadCache } from './read-cache.js';
import { retentionOf, type Retention } from './retention.js';
import { queuedPerRoom } from './room-write-queue.js';

const ROOMS = 'rooms';
export const SESSIONS = 'room_sessions';
export const EVENTS = 'participant_events';
/** Leader actions and class session markers, insert-only, `_id` their natural id (see room-facts.ts). */
export const FACTS = 'room_control_facts';
/** One insert-only fact per decided wait, keyed by room, identity and waitingSince: the first decision wins. */
const DECISIONS = 'waiting_decisions';
const DECISION_KEEP_SECONDS = 7 * 86400;

export const ROOM_INDEXES: readonly IndexSpec[] = [
  { collection: ROOMS, keys: { key: 1 }, name: 'key_unique', unique: true },
  // Flat: FerretDB v1 serves no filter on a nested field (`owner.apiKeyId`) from an index but scans in Go
  // (on PostgreSQL, 20k rooms: 1.3 s a lookup, against 9 ms for a flat indexed field).
  { collection: ROOMS, keys: { ownerKey: 1 }, name: 'owner' },
  // Rooms stored before the owner was recorded are found by their flat platform id (see toRoom).
  { collection: ROOMS, keys: { platformId: 1 }, name: 'platform' },
  { collection: SESSIONS, keys: { sessionId: 1 }, name: 'sessionId_unique', unique: true },
  { collection: SESSIONS, keys: { roomKey: 1, startedAt: -1 }, name: 'room_started' },
  // The session sweeper lists the sessions not ended (src/rooms/session-sweeper.ts).
  { collection: SESSIONS, keys: { endedAt: 1 }, name: 'ended' },
  { collection: EVENTS, keys: { eventId: 1 }, name: 'eventId_unique', unique: true },
  { collection: EVENTS, keys: { roomKey: 1, at: 1 }, name: 'room_at' },
  { collection: EVENTS, keys: { sessionId: 1, identity: 1, at: -1 }, name: 'session_identity_at' },
  { collection: FACTS, keys: { sessionId: 1 }, name: 'session' },
  // Erasing one person (src/db/user-erasure.ts) finds their facts by identity.
  { collection: EVENTS, keys: { identity: 1 }, name: 'identity' },
  // The integrators' participant search by user reads the person's newest facts first.
  { collection: EVENTS, keys: { identity: 1, at: -1 }, name: 'identity_at' },
  { collection: FACTS, keys: { identity: 1 }, name: 'identity' },
  { collection: DECISIONS, keys: { decisionId: 1 }, name: 'decisionId_unique', unique: true },
  // A wait is decided within a class; the fact only has to outlive the retries of that decision.
  {
    collection: DECISIONS,
    keys: { at: 1 },
    name: 'at_ttl',
    expireAfterSeconds: DECISION_KEEP_SECONDS,
    expiryBucket: true,
  },
];

/**
 * Attendance retention (attendance.retentionDays): class sessions, joins and leaves, and the control facts
 * of sessions expire this long after their date; each insert below writes its expiry bucket. A room's
 * `ended` fact goes too (MongoDB's TTL knows no exceptions), so a room ended and then unused for that long
 * reads as never opened.
 */
export function roomRetentionIndexes(retention: Retention): IndexSpec[] {
  return [retention.index(SESSIONS, 'startedAt'), retention.index(EVENTS, 'at'), retention.index(FACTS, 'at')];
}

const ownerKeyOf = (owner: RoomOwner | OwnerRef): string =>
  owner.kind === 'space' ? `space/${owner.apiKeyId}` : `lti/${owner.platformId}`;

/** A room document as stored, including rooms written before their owner was recorded. */
type StoredRoom = Omit<RoomRecord, 'owner'> & {
  owner?: RoomOwner;
  /** The owner as one flat, indexed value, for keysOf (ownerKeyOf); never read back. */
  ownerKey?: string;
  platformId?: string;
  deploymentId?: string;
  contextId?: string | null;
  resourceLinkId?: string;
};

/**
 * Rooms stored before chat could be switched off have no `chatEnabled`: their chat is on. Rooms stored
 * before rooms recorded their owner have flat platform and link fields instead (an integrator space's
 * platform id being `space:<apiKeyId>`): their owner is derived from those on every read, so they need no
 * migration, and their key is kept as stored.
 */
const toRoom = (doc: StoredRoom): RoomRecord => {
  const { owner, ownerKey: _ownerKey, platformId, deploymentId, contextId, resourceLinkId, ...rest } = strip(doc);
  return {
    ...rest,
    owner:
      owner ??
      ownerOfLaunch({
        platformId: platformId ?? '',
        deploymentId: deploymentId ?? '',
        contextId: contextId ?? undefined,
        resourceLinkId: resourceLinkId ?? '',
      }),
    chatEnabled: doc.chatEnabled ?? true,
  };
};

export interface RoomStoreOptions {
  /** Days a session's facts are kept (attendance.retentionDays). */
  retentionDays?: number;
}

export function createRoomStore(connection: Connection, options: RoomStoreOptions = {}): RoomStore {
  const retention = retentionOf(options.retentionDays);
  const mixed = (collection: string, name: string) => modelOf(connection, name, () => looseSchema(collection));
  const Rooms = mixed(ROOMS, 'RoomRecord');
  const Sessions = mixed(SESSIONS, 'ClassSession');
  const Events = mixed(EVENTS, 'ParticipantEvent');
  const Facts = modelOf(connection, 'RoomControlFact', () => looseSchema(FACTS, { _id: String }));
  const Decisions = mixed(DECISIONS, 'WaitingDecision');
  /**
   * Room documents by key. What is read of them never changes (key, owner, placement), except the session
   * hint, and a stale hint is already safe: readers walk on to the session opened after it (load,
   * latestSession), a lookup by id each. So a kept document costs at most that walk, and this instance's
   * own hint writes drop it. Every token, /api/me and webhook reads its room; this saves that find.
   */
  const roomDocs = createReadCache<StoredRoom>({ ttlMs: 30_000, maxEntries: 10_000 });
  const roomDoc = (key: string) =>
    roomDocs.get(key, () =>
      Rooms.findOne({ key })
        .lean<StoredRoom>()
        .then((d) => d ?? undefined),
    );

  const factsOf = async (sessionId: string | undefined): Promise<ControlFact[]> =>
    sessionId ? (await Facts.find({ sessionId }).lean<FactDoc[]>()).map(fromDoc) : [];
  /**
   * The room and the facts its state is derived from: one find for the room, then the facts of its latest
   * session and of the next (two equality finds at once). The room's session id is a hint that a lost
   * update may leave behind; a next session with an `opened` marker means walk on.
   */
  const load = async (doc: StoredRoom): Promise<{ room: RoomRecord; view: RoomView }> => {
    let sessionId = doc.currentSessionId;
    for (;;) {
      const next = successorId(doc.key, sessionId);
      const [current, following] = await Promise.all([factsOf(sessionId), factsOf(next)]);
      if (following.some((f) => f.kind === 'opened')) {
        sessionId = next;
        continue;
      }
      const view = viewOf({ roomKey: doc.key, sessionId, current, next: following, legacyState: doc.state });
      return { room: withView(toRoom(doc), view), view };
    }
  };
  const loadKey = async (key: string) => {
    const doc = await roomDoc(key);
    if (!doc) throw new Error(`room ${key} does not exist`);
    return load(doc);
  };
  const room = async (key: string): Promise<RoomRecord> => (await loadKey(key)).room;
  /** Inserts facts; a duplicate key is the same fact recorded by another writer (or an earlier try). */
  const insert = async (facts: readonly ControlFact[]): Promise<void> => {
    for (const fact of facts) {
      try {
        await Facts.create({ ...toDoc(fact), ...retention.fields(fact.at) });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  };
  const sessionInfo = async (sessionId: string | undefined): Promise<ClassSessionInfo | undefined> => {
    if (!sessionId) return undefined;
    const doc = await Sessions.findOne(
      { sessionId },
      { peakParticipants: 0, present: 0, expiryBucket: 0 },
    ).lean<ClassSessionInfo>();
    return doc ? strip(doc) : undefined;
  };
  const session = async (sessionId: string | undefined): Promise<ClassSession | undefined> => {
    if (!sessionId) return undefined;
    const doc = await Sessions.findOne({ sessionId }, { expiryBucket: 0 }).lean<ClassSession>();
    if (!doc) return undefined;
    const events = await Events.find({ sessionId }, { identity: 1, kind: 1, at: 1, place: 1 }).lean<
      ParticipantEvent[]
    >();
    return { ...strip(doc), ...presenceOf(events, doc.endedAt) };
  };
  /** The latest session document: the hint, or a successor inserted since (looked up by id, no scan). */
  const latestSessionId = async (key: string): Promise<string | undefined> => {
    let sessionId = (await roomDoc(key))?.currentSessionId;
    while (await Sessions.exists({ sessionId: successorId(key, sessionId) })) sessionId = successorId(key, sessionId);
    return sessionId;
  };

  return queuedPerRoom({
    async ensure(input) {
      const existing = await roomDoc(input.key);
      if (existing) return (await load(existing)).room;
      const now = new Date();
      try {
        await Rooms.create({
          ...input,
          ownerKey: ownerKeyOf(input.owner),
          state: 'created',
          locked: false,
          chatEnabled: true,
          controls: {},
          createdAt: now,
          updatedAt: now,
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      // A miss read before the insert (a racing launch's) must not be shared with the read after it.
      roomDocs.delete(input.key);
      return room(input.key);
    },
    async get(key) {
      const doc = await roomDoc(key);
      return doc ? (await load(doc)).room : undefined;
    },
    async keysOf(ref) {
      // Two indexed equality lookups, not one `$or` (which FerretDB v1 scans for): the owner's rooms, and
      // those stored before owners were recorded.
      const found = await Promise.all(
        [{ ownerKey: ownerKeyOf(ref) }, { platformId: namespaceOf(ref) }].map((filter) =>
          Rooms.find(filter, { key: 1 }).lean<Array<{ key: string }>>(),
        ),
      );
      return [...new Set(found.flat().map((r) => r.key))];
    },
    async change(key, change, at = new Date()) {
      const { room: before, view } = await loadKey(key);
      const fact = nextFact(view, change, at);
      if (!fact) return before;
      await insert([fact]);
      return withView(before, { ...view, facts: [...view.facts, fact] });
    },
    async decideWaiting(key, identity, decision) {
      const { view } = await loadKey(key);
      const wait = currentWait(view, identity);
      const since = wait?.waitingSince?.toISOString() ?? '';
      const decisionId = `${key}\n${identity}\n${since}`;
      try {
        const at = new Date();
        await Decisions.create({
          decisionId,
          decision,
          at,
          ...expiryFields(new Date(at.getTime() + DECISION_KEEP_SECONDS * 1000)),
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const kept = await Decisions.findOne({ decisionId }).lean<{ decision: 'admitted' | 'denied'; at: Date }>();
      const winner = kept?.decision ?? decision;
      // Every decider records the same fact (id and time from the kept decision): one document.
      if (wait) await insert([decisionFact(view, wait, winner, kept?.at ?? new Date())]);
      return winner;
    },
    async openClassSession(key, livekitSid, at) {
      const { view } = await loadKey(key);
      if (view.open) return (await sessionInfo(view.sessionId)) as ClassSessionInfo;
      // The session after the room's previous one has one id whoever opens it (two webhooks, two tool
      // instances): the unique sessionId makes the first insert win and every other opener adopt it.
      const sessionId = view.next;
      try {
        await Sessions.create({
          sessionId,
          roomKey: key,
          livekitSid,
          startedAt: at,
          peakParticipants: 0,
          present: [],
          ...retention.fields(at),
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      // Carried-over waits before the `opened` marker, so a reader that sees the session open sees them.
      await insert(openingFacts(view, sessionId, at));
      // Only a hint (readers walk past a stale one), and every opener writes the same value: an update is fine.
      roomDocs.delete(key);
      await Rooms.updateOne({ key }, { $set: { currentSessionId: sessionId, updatedAt: new Date() } });
      roomDocs.delete(key);
      return (await sessionInfo(sessionId)) as ClassSessionInfo;
    },
    async closeClassSession(key, at) {
      const { view } = await loadKey(key);
      if (!view.open) return sessionInfo(view.sessionId);
      const sessionId = view.sessionId as string;
      await insert([marker(key, sessionId, 'closed', at)]);
      // Two closers (room_finished and a teacher's "end") both set the time they saw the end: either is right,
      // so last writer wins. Presence is derived (empty once ended), never written here.
      await Sessions.updateOne({ sessionId, endedAt: null }, { $set: { endedAt: at } });
      return sessionInfo(sessionId);
    },
    currentClassSession: async (key) => session(await latestSessionId(key)),
    latestClassSession: async (key) => sessionInfo(await latestSessionId(key)),
    async openClassSessions(limit) {
      const docs = await Sessions.find({ endedAt: null }, { peakParticipants: 0, present: 0, expiryBucket: 0 })
        .sort({ startedAt: 1 })
        .limit(limit)
        .lean<ClassSessionInfo[]>();
      return docs.map(strip);
    },
    async recordParticipant(event) {
      try {
        await Events.create({ ...event, ...retention.fields(event.at) });
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
      // Presence and peak are derived from these facts when the session is read (see presenceOf), so
      // concurrent joins never overwrite each other's update of the session document.
      return true;
    },
    async participantEvents(roomKey) {
      return (await Events.find({ roomKey }, { expiryBucket: 0 }).sort({ at: 1 }).lean<ParticipantEvent[]>()).map(
        strip,
      );
    },
  });
}

/** Stored with `_id` as the fact's natural id, so the unique index every collection has dedupes it. */
type FactDoc = Omit<ControlFact, 'id'> & { _id: string };
const toDoc = ({ id, ...rest }: ControlFact): FactDoc => ({ _id: id, ...rest });
const fromDoc = ({ _id, ...rest }: FactDoc & { __v?: unknown; expiryBucket?: unknown }): ControlFact => {
  const { __v, expiryBucket: _bucket, ...fact } = rest;
  return { id: _id, ...fact };
};

/** The stored room with its state, switches and controls derived from the facts (stored ones are ignored). */
function withView(room: RoomRecord, view: RoomView): RoomRecord {
  const { controls: _stored, ...rest } = room;
  return { ...rest, currentSessionId: view.sessionId, ...deriveRoom(view) };
}
