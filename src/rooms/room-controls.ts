import { AppError } from '../errors.js';
import type { LiveKitGateway, ParticipantInfo, Source } from '../livekit/gateway.js';
import { grantsFor, HAND_ATTRIBUTE } from './grants.js';
import { applied, attributesFor, metadataOfAttributes, type LayoutPatch, type MetadataPatch } from './room-data.js';
import { roomMetadata } from './room-metadata.js';
import { identityIn } from './room-owner.js';
import { lobbyName, roleOf, WAITING_TOPIC, type RoomService } from './room-service.js';
import type { AuditStore } from './audit-store.js';
import type { LayoutKey, RoomLayout } from './room-facts.js';
import type { RoomRecord, RoomStore } from './room-store.js';
import {
  changeFor,
  EACH,
  SOURCE,
  type BulkAction,
  type BulkTargets,
  type ControlEvent,
  type Leader,
  type ParticipantAction,
  type RoomAction,
  type RoomMember,
  type WaitingAction,
} from './room-actions.js';
export interface ControlDeps {
  store: RoomStore;
  audit: AuditStore;
  livekit: LiveKitGateway;
  rooms: RoomService;
  /**
   * Called as an instructor ends the class: who the SFU lists just before the room goes (attendance keeps it,
   * so a lost webhook does not make someone absent), and when the session closed.
   */
  /** Ending the class closes its breakout round; who was in a breakout counts as present at the end. */
  breakouts?: {
    end(roomKey: string): Promise<ParticipantInfo[]>;
    evict(roomKey: string, identity: string): Promise<void>;
    /** The LiveKit rooms of the round people are in now (none between rounds). */
    roomNames(roomKey: string): Promise<string[]>;
  };
  onEnded?: (ended: { roomKey: string; sessionId: string; at: Date; present: ParticipantInfo[] }) => Promise<void>;
  /** Every change, for the integrators' webhooks: awaited, so the event is stored before the control answers. */
  onChange?: (event: ControlEvent) => Promise<void>;
  now?: () => Date;
}

const ignoreGone = (err: unknown): void => {
  if ((err as AppError).code !== 'LIVEKIT_NOT_FOUND') throw err;
};

/** A participant as one LiveKit room lists them: the class's main room or one of its breakouts. */
interface Presence {
  where: string;
  p: ParticipantInfo;
}

/**
 * Leader powers. Each one changes what the SFU allows (permissions, removal, room deletion), is stored so
 * the next token honours it, and is audited: who, what, on whom, when.
 */
export function createRoomControls(deps: ControlDeps) {
  const now = deps.now ?? (() => new Date());

  const leaderRoom = async (actor: Leader) => {
    if (actor.role !== 'instructor')
      throw new AppError('FORBIDDEN', { message: 'Only instructors can lead the live class.' });
    return deps.rooms.ensureRoom(actor);
  };

  /** The session is the room's latest as the action read it: an action between classes names the last one. */
  const audit = async (room: RoomRecord, actor: Leader, action: string, target?: string) => {
    const at = now();
    await deps.audit.append({
      roomKey: room.key,
      sessionId: room.currentSessionId,
      actor: actor.auditAs ?? identityIn(actor.owner, actor.userId),
      action,
      target,
      at,
    });
    const type = action === 'layout' ? 'layout.changed' : target ? 'member.updated' : 'room.updated';
    // room.ended and member.left come from the SFU's webhooks (the session tracker), not from here.
    if (action === 'end' || action === 'remove') return;
    await deps.onChange?.({ type, roomKey: room.key, sessionId: room.currentSessionId, action, identity: target, at });
  };

  /**
   * Pushes the stored powers of one participant (its controls and the room's switches, as `room` holds
   * them after the write) to the SFU. The whole permission set is replaced; the role attribute is written
   * with it, since from now on (no own updates) the SFU's attribute is what the role is read from.
   */
  const enforce = async (room: RoomRecord, actor: Leader, p: ParticipantInfo, where = room.key) => {
    const role = roleOf(p);
    const control = room.controls[p.identity];
    const grants = grantsFor(role, actor.settings, room, control);
    const attributes = attributesFor(role, control, p.attributes);
    await deps.livekit.updateParticipant(where, p.identity, { grants, attributes }).catch(ignoreGone);
  };

  /**
   * Everyone connected to the class: its main room and the breakouts of the round in progress (each its
   * own LiveKit room). Someone between two rooms (moved a moment ago) is listed in both.
   */
  const presences = async (roomKey: string): Promise<Presence[]> => {
    const names = [roomKey, ...((await deps.breakouts?.roomNames(roomKey)) ?? [])];
    const lists = await Promise.all(names.map((where) => deps.rooms.participantsOf(where)));
    return lists.flatMap((list, i) => list.map((p) => ({ where: names[i] as string, p })));
  };
  const presenceOf = async (roomKey: string, identity: string) =>
    (await presences(roomKey)).filter((x) => x.p.identity === identity);

  /** Every client reads the lock, the chat switch, the layout and the room's metadata from the room metadata. */
  const publishMetadata = async (room: RoomRecord, actor: Leader) => {
    await deps.livekit.updateRoomMetadata(room.key, roomMetadata(actor.settings, room)).catch(ignoreGone);
  };

  const muteTracks = async (roomKey: string, p: ParticipantInfo, source: Source) => {
    for (const track of p.tracks.filter((t) => t.source === source && !t.muted)) {
      await deps.livekit.mutePublishedTrack(roomKey, p.identity, track.sid, true).catch(ignoreGone);
    }
  };

  /**
   * One participant action, stored, enforced on the SFU in every room they are connected to (the main room,
   * a breakout), and audited once; the room after it.
   */
  const act = async (
    room: RoomRecord,
    actor: Leader,
    identity: string,
    action: ParticipantAction,
    present: readonly Presence[],
  ): Promise<RoomRecord> => {
    const updated = await deps.store.change(room.key, changeFor(action, identity), now());
    // Removed from the class is removed from its breakout too (a breakout token is refused from now on).
    if (action === 'remove') await deps.breakouts?.evict(room.key, identity);
    for (const { where, p } of present) {
      if (action === 'remove') await deps.livekit.removeParticipant(where, identity).catch(ignoreGone);
      else if (action === 'lower-hand' || action === 'raise-hand') {
        // Attributes merge key by key: only the hand changes, the role attribute stays.
        const hand = action === 'raise-hand' ? p.attributes[HAND_ATTRIBUTE] || now().toISOString() : '';
        await deps.livekit
          .updateParticipant(where, identity, { attributes: { [HAND_ATTRIBUTE]: hand } })
          .catch(ignoreGone);
      } else {
        await enforce(updated, actor, p, where);
        const source = SOURCE[action];
        if (source && action.startsWith('mute-')) await muteTracks(where, p, source);
      }
    }
    await audit(room, actor, action, identity);
    return updated;
  };

  return {
    async participant(actor: Leader, identity: string, action: ParticipantAction): Promise<void> {
      const room = await leaderRoom(actor);
      const present = await presenceOf(room.key, identity);
      // The target must belong to *this* room: an instructor of another activity cannot reach it.
      if (present.length === 0 && !room.controls[identity]) throw new AppError('ROOM_PARTICIPANT_UNKNOWN');
      await act(room, actor, identity, action, present);
    },

    /**
     * A participant action on everyone present (in the main room and in the breakouts of a round in
     * progress) but the leader acting (instructors only when named in `participants`), less the
     * `exclude`d; answers whom it acted on. Everyone may be nobody (an empty class); ROOM_NO_TARGETS when
     * `participants` were named and none of them is left.
     */
    async bulk(actor: Leader, action: BulkAction, targets: BulkTargets = {}): Promise<string[]> {
      const room = await leaderRoom(actor);
      const own = identityIn(actor.owner, actor.userId);
      const named = targets.participants && new Set(targets.participants);
      const excluded = new Set([...(targets.exclude ?? []), ...(actor.auditAs ? [] : [own])]);
      const chosen = new Map<string, Presence[]>();
      for (const x of await presences(room.key)) {
        const { identity } = x.p;
        if (excluded.has(identity) || (named ? !named.has(identity) : roleOf(x.p) === 'instructor')) continue;
        chosen.set(identity, [...(chosen.get(identity) ?? []), x]);
      }
      if (chosen.size === 0 && named) throw new AppError('ROOM_NO_TARGETS');
      let current = room;
      for (const [identity, present] of chosen) current = await act(current, actor, identity, EACH[action], present);
      return [...chosen.keys()];
    },

    /** Who is connected now (in the main room or a breakout), with their role, hand, mutes, deafness and metadata. */
    async members(actor: Leader): Promise<RoomMember[]> {
      const room = await leaderRoom(actor);
      // Someone moving between two rooms is listed once, as the main room (first) has them.
      const seen = new Set<string>();
      const people = (await presences(room.key)).map((x) => x.p);
      return people
        .filter((p) => !seen.has(p.identity) && seen.add(p.identity))
        .map((p) => {
          const control = room.controls[p.identity];
          const hand = p.attributes[HAND_ATTRIBUTE];
          return {
            identity: p.identity,
            name: p.name,
            role: roleOf(p),
            joinedAt: p.joinedAt,
            ...(hand ? { handRaisedAt: hand } : {}),
            mutedSources: control?.mutedSources ?? [],
            deaf: control?.deaf === true,
            metadata: { ...metadataOfAttributes(p.attributes), ...control?.metadata },
          };
        });
    },

    /** The layout every page follows: stored (one fact per changed setting), then pushed in the room metadata. */
    async layout(actor: Leader, patch: LayoutPatch): Promise<RoomLayout> {
      let room = await leaderRoom(actor);
      for (const [key, value] of Object.entries(patch) as Array<[LayoutKey, string | boolean]>) {
        room = await deps.store.change(room.key, { kind: 'layout', key, value }, now());
      }
      await publishMetadata(room, actor);
      await audit(room, actor, 'layout');
      return room.layout;
    },

    /** The room's metadata keys: stored, then written into the SFU's room metadata (which only the tool writes). */
    async roomMetadata(actor: Leader, patch: MetadataPatch): Promise<Record<string, string>> {
      let room = await leaderRoom(actor);
      applied(room.metadata, patch);
      for (const [key, value] of Object.entries(patch)) {
        room = await deps.store.change(room.key, { kind: 'meta', identity: '', key, value }, now());
      }
      await publishMetadata(room, actor);
      await audit(room, actor, 'metadata');
      return room.metadata;
    },

    /** A member's metadata keys: stored (a rejoin's token carries them), then written as their `meta.` attributes. */
    async memberMetadata(actor: Leader, identity: string, patch: MetadataPatch): Promise<Record<string, string>> {
      let room = await leaderRoom(actor);
      const present = await presenceOf(room.key, identity);
      if (present.length === 0 && !room.controls[identity]) throw new AppError('ROOM_PARTICIPANT_UNKNOWN');
      applied(room.controls[identity]?.metadata ?? {}, patch);
      for (const [key, value] of Object.entries(patch)) {
        room = await deps.store.change(room.key, { kind: 'meta', identity, key, value }, now());
      }
      for (const { where, p } of present) await enforce(room, actor, p, where);
      await audit(room, actor, 'metadata', identity);
      return room.controls[identity]?.metadata ?? {};
    },

    /** Whom the leader may act on: someone connected to the room now, or someone it has controls for. */
    async memberOf(actor: Leader, identity: string): Promise<{ metadata: Record<string, string> }> {
      const room = await leaderRoom(actor);
      const present = await presenceOf(room.key, identity);
      if (present.length === 0 && !room.controls[identity]) throw new AppError('ROOM_PARTICIPANT_UNKNOWN');
      return { metadata: room.controls[identity]?.metadata ?? {} };
    },

    /** The room as a leader reads it (its layout and metadata). */
    async roomOf(actor: Leader): Promise<RoomRecord> {
      return leaderRoom(actor);
    },

    async room(actor: Leader, action: RoomAction): Promise<void> {
      const room = await leaderRoom(actor);
      if (action === 'lock' || action === 'unlock') {
        const updated = await deps.store.change(room.key, { kind: 'locked', value: action === 'lock' }, now());
        await publishMetadata(updated, actor);
      }
      if (action === 'chat-off' || action === 'chat-on') {
        // Stored first, so a token minted from now on carries it; then every connected participant's data
        // permission follows (observers never have it, instructors always keep it).
        const updated = await deps.store.change(room.key, { kind: 'chat', value: action === 'chat-on' }, now());
        for (const { where, p } of await presences(room.key)) {
          if (roleOf(p) === 'participant') await enforce(updated, actor, p, where);
        }
        await publishMetadata(updated, actor);
      }
      if (action === 'end') {
        // Ended first: the room_finished webhook the deletion triggers must find the room ended, not live
        // (it would otherwise reopen it), and no token is minted for the room while it is being deleted.
        // The next class starts unlocked and with chat on (its facts start clean).
        await deps.store.change(room.key, { kind: 'ended', value: true }, now());
        const inBreakouts = (await deps.breakouts?.end(room.key)) ?? [];
        const present = deps.onEnded ? await deps.rooms.participantsOf(room.key).catch(() => []) : [];
        present.push(...inBreakouts.filter((b) => !present.some((p) => p.identity === b.identity)));
        await deps.livekit.deleteRoom(room.key).catch(ignoreGone);
        await deps.livekit.deleteRoom(lobbyName(room.key)).catch(ignoreGone);
        const closed = await deps.store.closeClassSession(room.key, now());
        if (closed && deps.onEnded) {
          await deps.onEnded({ roomKey: room.key, sessionId: closed.sessionId, at: closed.endedAt ?? now(), present });
        }
      }
      await audit(room, actor, action);
    },

    async waiting(actor: Leader, identity: string, action: WaitingAction): Promise<void> {
      const room = await leaderRoom(actor);
      if (!room.controls[identity]?.waiting) throw new AppError('ROOM_PARTICIPANT_UNKNOWN');
      // Two instructors deciding at once get one decision (the first), and the waiting client hears only it.
      const decision = await deps.store.decideWaiting(room.key, identity, action === 'admit' ? 'admitted' : 'denied');
      // Push: the waiting client listens in the lobby room and asks for its real token when admitted.
      await deps.livekit
        .sendData(lobbyName(room.key), { type: decision }, { topic: WAITING_TOPIC, to: [identity] })
        .catch(ignoreGone);
      await deps.rooms.notifyInstructors(room.key);
      await audit(room, actor, `waiting-${action}`, identity);
    },

    /**
     * "Admit all": admits the waiting people the instructor saw (`identities`, from their queue), so someone
     * who knocks while the click is on its way is not let in unseen. Each one is decided and audited like a
     * single admit (two instructors deciding at once still get one decision each); one push tells all the
     * admitted, one queue update the instructors. Answers whom this call admitted.
     */
    async admitAll(actor: Leader, identities: readonly string[]): Promise<string[]> {
      const room = await leaderRoom(actor);
      const pending = [...new Set(identities)].filter((id) => room.controls[id]?.waiting === 'pending');
      if (pending.length === 0) throw new AppError('ROOM_WAITING_NONE');
      const admitted: string[] = [];
      for (const identity of pending) {
        const decision = await deps.store.decideWaiting(room.key, identity, 'admitted');
        if (decision === 'admitted') admitted.push(identity);
        await audit(room, actor, 'waiting-admit', identity);
      }
      if (admitted.length > 0) {
        await deps.livekit
          .sendData(lobbyName(room.key), { type: 'admitted' }, { topic: WAITING_TOPIC, to: admitted })
          .catch(ignoreGone);
      }
      await deps.rooms.notifyInstructors(room.key);
      return admitted;
    },
  };
}

export type RoomControls = ReturnType<typeof createRoomControls>;
