import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { namespaceOf, ownerOfLaunch, type OwnerRef, type RoomOwner } from '../rooms/room-owner.js';
import type { AuditEntry, ParticipantEvent, RoomRecord, RoomStore, SessionRecord } from '../rooms/room-store.js';
import { isDuplicateKey, type IndexSpec } from './indexes.js';
import { queuedPerRoom } from './room-write-queue.js';

const ROOMS = 'rooms';
const SESSIONS = 'room_sessions';
const EVENTS = 'participant_events';
const WEBHOOKS = 'livekit_webhooks';
const AUDIT = 'room_audit';
/** One insert-only fact per decided wait, keyed by room, identity and waitingSince: the first decision wins. */
const DECISIONS = 'waiting_decisions';

export const ROOM_INDEXES: readonly IndexSpec[] = [
  { collection: ROOMS, keys: { key: 1 }, name: 'key_unique', unique: true },
  // Flat: FerretDB v1 serves no filter on a nested field (`owner.apiKeyId`) from an index but scans in Go
  // (on PostgreSQL, 20k rooms: 1.3 s a lookup, against 9 ms for a flat indexed field).
  { collection: ROOMS, keys: { ownerKey: 1 }, name: 'owner' },
  // Rooms stored before the owner was recorded are found by their flat platform id (see toRoom).
  { collection: ROOMS, keys: { platformId: 1 }, name: 'platform' },
  { collection: SESSIONS, keys: { sessionId: 1 }, name: 'sessionId_unique', unique: true },
  { collection: SESSIONS, keys: { roomKey: 1, startedAt: -1 }, name: 'room_started' },
  { collection: EVENTS, keys: { eventId: 1 }, name: 'eventId_unique', unique: true },
  { collection: EVENTS, keys: { roomKey: 1, at: 1 }, name: 'room_at' },
  { collection: EVENTS, keys: { sessionId: 1, identity: 1, at: -1 }, name: 'session_identity_at' },
  { collection: WEBHOOKS, keys: { webhookId: 1 }, name: 'webhookId_unique', unique: true },
  // Webhook ids only guard against redelivery, which LiveKit gives up on after seconds.
  { collection: WEBHOOKS, keys: { receivedAt: 1 }, name: 'receivedAt_ttl', expireAfterSeconds: 7 * 86400 },
  { collection: AUDIT, keys: { roomKey: 1, at: 1 }, name: 'room_at' },
  { collection: DECISIONS, keys: { decisionId: 1 }, name: 'decisionId_unique', unique: true },
  // A wait is decided within a class; the fact only has to outlive the retries of that decision.
  { collection: DECISIONS, keys: { at: 1 }, name: 'at_ttl', expireAfterSeconds: 7 * 86400 },
];

const strip = <T>(doc: T & { _id?: unknown; __v?: unknown }): T => {
  const { _id, __v, ...rest } = doc;
  return rest as T;
};
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

/**
 * A new session starts with fresh powers (mutes, removals, admissions are per session), except people
 * already queued in the waiting room: they usually arrive before the teacher whose join starts it.
 */
function carriedOver(controls: RoomRecord['controls']): RoomRecord['controls'] {
  return Object.fromEntries(
    Object.entries(controls ?? {})
      .filter(([, c]) => c.waiting === 'pending')
      .map(([identity, c]) => [
        identity,
        { waiting: 'pending' as const, name: c.name, role: c.role, waitingSince: c.waitingSince },
      ]),
  );
}

export function createRoomStore(connection: Connection): RoomStore {
  // `id: false`: mongoose's `id` virtual would otherwise swallow a field named id.
  const mixed = (collection: string, name: string): Model<Record<string, unknown>> =>
    (connection.models[name] as Model<Record<string, unknown>> | undefined) ??
    connection.model<Record<string, unknown>>(
      name,
      new Schema({}, { collection, strict: false, minimize: false, id: false }),
    );
  const Rooms = mixed(ROOMS, 'RoomRecord');
  const Sessions = mixed(SESSIONS, 'RoomSession');
  const Events = mixed(EVENTS, 'ParticipantEvent');
  const Webhooks = mixed(WEBHOOKS, 'LiveKitWebhook');
  const Audit = mixed(AUDIT, 'RoomAudit');
  const Decisions = mixed(DECISIONS, 'WaitingDecision');

  const room = async (key: string): Promise<RoomRecord> => {
    const doc = await Rooms.findOne({ key }).lean<StoredRoom>();
    if (!doc) throw new Error(`room ${key} does not exist`);
    return toRoom(doc);
  };
  const session = async (sessionId: string | undefined): Promise<SessionRecord | undefined> => {
    if (!sessionId) return undefined;
    const doc = await Sessions.findOne({ sessionId }).lean<SessionRecord>();
    if (!doc) return undefined;
    const events = await Events.find({ sessionId }, { identity: 1, kind: 1, at: 1 }).lean<ParticipantEvent[]>();
    return { ...strip(doc), ...presenceOf(events, doc.endedAt) };
  };

  return queuedPerRoom({
    async ensure(input) {
      const existing = await Rooms.findOne({ key: input.key }).lean<StoredRoom>();
      if (existing) return toRoom(existing);
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
      return room(input.key);
    },
    async get(key) {
      const doc = await Rooms.findOne({ key }).lean<StoredRoom>();
      return doc ? toRoom(doc) : undefined;
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
    async setState(key, patch) {
      await Rooms.updateOne({ key }, { $set: { ...patch, updatedAt: new Date() } });
      return room(key);
    },
    async setControl(key, identity, patch) {
      const set = Object.fromEntries(Object.entries(patch).map(([k, v]) => [`controls.${identity}.${k}`, v]));
      await Rooms.updateOne({ key }, { $set: { ...set, updatedAt: new Date() } });
      return room(key);
    },
    async decideWaiting(key, identity, decision) {
      const control = (await room(key)).controls[identity];
      const decisionId = `${key}\n${identity}\n${control?.waitingSince ? new Date(control.waitingSince).toISOString() : ''}`;
      try {
        await Decisions.create({ decisionId, decision, at: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const kept = await Decisions.findOne({ decisionId }).lean<{ decision: 'admitted' | 'denied' }>();
      const winner = kept?.decision ?? decision;
      // Every decider writes the winning decision: the same value, so last writer wins harmlessly.
      await Rooms.updateOne({ key }, { $set: { [`controls.${identity}.waiting`]: winner, updatedAt: new Date() } });
      return winner;
    },
    async openSession(key, livekitSid, at) {
      const current = await room(key);
      const open = await session(current.currentSessionId);
      if (open && !open.endedAt) return open;
      // The session after the room's previous one has one id whoever opens it (two webhooks, two tool
      // instances): the unique sessionId makes the first insert win and every other opener adopt it.
      const created: SessionRecord = {
        sessionId: successorId(key, current.currentSessionId),
        roomKey: key,
        livekitSid,
        startedAt: at,
        peakParticipants: 0,
        present: [],
      };
      try {
        await Sessions.create(created);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      // Every opener sets the same session id (idempotent, so last writer wins harmlessly).
      await Rooms.updateOne(
        { key },
        {
          $set: {
            currentSessionId: created.sessionId,
            state: 'live',
            controls: carriedOver(current.controls),
            updatedAt: new Date(),
          },
        },
      );
      return (await session(created.sessionId)) as SessionRecord;
    },
    async closeSession(key, at) {
      const current = await room(key);
      const open = await session(current.currentSessionId);
      if (!open || open.endedAt) return open;
      // Two closers (room_finished and a teacher's "end") both set the time they saw the end: either is right,
      // so last writer wins. Presence is derived (empty once ended), never written here.
      await Sessions.updateOne({ sessionId: open.sessionId, endedAt: null }, { $set: { endedAt: at } });
      // The next class starts with chat on, as a teacher expects; a switch flipped between classes still holds.
      await Rooms.updateOne({ key }, { $set: { chatEnabled: true, updatedAt: new Date() } });
      return session(open.sessionId);
    },
    async currentSession(key) {
      const current = await room(key);
      return session(current.currentSessionId);
    },
    async recordParticipant(event) {
      try {
        await Events.create(event);
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
      // Presence and peak are derived from these facts when the session is read (see presenceOf), so
      // concurrent joins never overwrite each other's update of the session document.
      return true;
    },
    async markWebhook(id, event, at) {
      try {
        await Webhooks.create({ webhookId: id, event, receivedAt: at });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async hasWebhook(id) {
      return (await Webhooks.exists({ webhookId: id })) !== null;
    },
    async audit(entry) {
      await Audit.create(entry);
    },
    async participantEvents(roomKey) {
      return (await Events.find({ roomKey }).sort({ at: 1 }).lean<ParticipantEvent[]>()).map(strip);
    },
    async auditLog(roomKey) {
      return (await Audit.find({ roomKey }).sort({ at: 1 }).lean<AuditEntry[]>()).map(strip);
    },
  });
}

/** Deterministic id of the session that follows `previous` in a room (or its first session). */
function successorId(roomKey: string, previous: string | undefined): string {
  const digest = createHash('sha256')
    .update(`${roomKey}\n${previous ?? ''}`)
    .digest('base64url');
  return `ses_${digest.slice(0, 16)}`;
}

/**
 * Who is present, and the peak, from a session's join/leave facts: each identity's latest event by time
 * decides (a leave wins a tie: webhook times are whole seconds), so out-of-order delivery is harmless.
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
