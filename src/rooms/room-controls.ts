import { AppError } from '../errors.js';
import type { LiveKitGateway, ParticipantInfo, Source } from '../livekit/gateway.js';
import { grantsFor, HAND_ATTRIBUTE, ROLE_ATTRIBUTE } from './grants.js';
import { roomMetadata } from './room-metadata.js';
import { identityIn } from './room-owner.js';
import { lobbyName, roleOf, WAITING_TOPIC, type Member, type RoomService } from './room-service.js';
import type { AuditStore } from './audit-store.js';
import type { ControlChange } from './room-facts.js';
import type { RoomRecord, RoomStore } from './room-store.js';

export const PARTICIPANT_ACTIONS = [
  'mute-audio',
  'mute-video',
  'allow-audio',
  'allow-video',
  'remove',
  'promote',
  'demote',
  'lower-hand',
] as const;
export const ROOM_ACTIONS = ['lock', 'unlock', 'mute-all', 'chat-off', 'chat-on', 'end'] as const;
export const WAITING_ACTIONS = ['admit', 'deny'] as const;
/** The most people one "Admit all" lets in: the largest class an activity allows (activity-settings.ts). */
export const ADMIT_ALL_MAX = 1000;

export type ParticipantAction = (typeof PARTICIPANT_ACTIONS)[number];
/** What the integrator API does to many participants at once (unmute allows again: only a person unmutes). */
export const BULK_ACTIONS = ['mute', 'unmute', 'kick'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const MEDIA_KINDS = ['audio', 'video'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
export interface BulkOptions {
  /** Only these identities (everyone connected when absent). */
  participants?: readonly string[];
  exclude?: readonly string[];
  /** For mute and unmute; both when absent. */
  kinds?: readonly MediaKind[];
}
export type RoomAction = (typeof ROOM_ACTIONS)[number];
export type WaitingAction = (typeof WAITING_ACTIONS)[number];

const SOURCE: Partial<Record<ParticipantAction, Source>> = {
  'mute-audio': 'microphone',
  'allow-audio': 'microphone',
  'mute-video': 'camera',
  'allow-video': 'camera',
};

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
  };
  onEnded?: (ended: { roomKey: string; sessionId: string; at: Date; present: ParticipantInfo[] }) => Promise<void>;
  now?: () => Date;
}

/** What a participant action records (lower-hand too: the hand attribute is the SFU's, the fact is ours). */
function changeFor(action: ParticipantAction, identity: string): ControlChange {
  const source = SOURCE[action];
  if (source) return { kind: 'muted', identity, source, value: action.startsWith('mute-') };
  if (action === 'promote' || action === 'demote') return { kind: 'promoted', identity, value: action === 'promote' };
  if (action === 'remove') return { kind: 'removed', identity, value: true };
  return { kind: 'hand', identity, value: false };
}

/** The single actions a bulk action is made of, for each participant. */
export function bulkActions(action: BulkAction, kinds: readonly MediaKind[]): ParticipantAction[] {
  if (action === 'kick') return ['remove'];
  const verb = action === 'mute' ? 'mute' : 'allow';
  return [...new Set(kinds)].map((k) => `${verb}-${k}` as ParticipantAction);
}

const ignoreGone = (err: unknown): void => {
  if ((err as AppError).code !== 'LIVEKIT_NOT_FOUND') throw err;
};

/**
 * Leader powers. Each one changes what the SFU allows (permissions, removal, room deletion), is stored so
 * the next token honours it, and is audited: who, what, on whom, when.
 */
export function createRoomControls(deps: ControlDeps) {
  const now = deps.now ?? (() => new Date());

  const leaderRoom = async (actor: Member) => {
    if (actor.role !== 'instructor')
      throw new AppError('FORBIDDEN', { message: 'Only instructors can lead the live class.' });
    return deps.rooms.ensureRoom(actor);
  };

  /** The session is the room's latest as the action read it: an action between classes names the last one. */
  const audit = async (room: RoomRecord, actor: Member, action: string, target?: string) => {
    await deps.audit.append({
      roomKey: room.key,
      sessionId: room.currentSessionId,
      actor: identityIn(actor.owner, actor.userId),
      action,
      target,
      at: now(),
    });
  };

  /**
   * Pushes the stored powers of one participant (its controls and the room's switches, as `room` holds
   * them after the write) to the SFU. The whole permission set is replaced; the role attribute is written
   * with it, since from now on (no own updates) the SFU's attribute is what the role is read from.
   */
  const enforce = async (room: RoomRecord, actor: Member, p: ParticipantInfo) => {
    const role = roleOf(p);
    const grants = grantsFor(role, actor.settings, room, room.controls[p.identity]);
    const attributes = { [ROLE_ATTRIBUTE]: role };
    await deps.livekit.updateParticipant(room.key, p.identity, { grants, attributes }).catch(ignoreGone);
  };

  /** Every client reads the lock and the chat switch from the room metadata. */
  const publishMetadata = async (room: RoomRecord, actor: Member) => {
    await deps.livekit.updateRoomMetadata(room.key, roomMetadata(actor.settings, room)).catch(ignoreGone);
  };

  const muteTracks = async (roomKey: string, p: ParticipantInfo, source: Source) => {
    for (const track of p.tracks.filter((t) => t.source === source && !t.muted)) {
      await deps.livekit.mutePublishedTrack(roomKey, p.identity, track.sid, true).catch(ignoreGone);
    }
  };

  const act = async (
    room: RoomRecord,
    actor: Member,
    identity: string,
    present: ParticipantInfo | undefined,
    action: ParticipantAction,
  ) => {
    const updated = await deps.store.change(room.key, changeFor(action, identity), now());
    // Removed from the class is removed from its breakout too (a breakout token is refused from now on).
    if (action === 'remove') await deps.breakouts?.evict(room.key, identity);

    if (present) {
      if (action === 'remove') await deps.livekit.removeParticipant(room.key, identity).catch(ignoreGone);
      else if (action === 'lower-hand') {
        // Attributes merge key by key: only the hand changes, the role attribute stays.
        await deps.livekit
          .updateParticipant(room.key, identity, { attributes: { [HAND_ATTRIBUTE]: '' } })
          .catch(ignoreGone);
      } else {
        await enforce(updated, actor, present);
        const source = SOURCE[action];
        if (source && action.startsWith('mute-')) await muteTracks(room.key, present, source);
      }
    }
    await audit(room, actor, action, identity);
  };

  return {
    async participant(actor: Member, identity: string, action: ParticipantAction): Promise<void> {
      const room = await leaderRoom(actor);
      const present = (await deps.rooms.participantsOf(room.key)).find((p) => p.identity === identity);
      // The target must belong to *this* room: an instructor of another activity cannot reach it.
      if (!present && !room.controls[identity]) throw new AppError('ROOM_PARTICIPANT_UNKNOWN');
      await act(room, actor, identity, present, action);
    },

    /**
     * Mute, unmute (allow again) or remove everyone connected to the live class but its instructors, or
     * those of `participants` who are (instructors too), except `exclude`; each one stored, enforced on the SFU and audited as a single action is.
     * Answers whom it acted on (someone listed but not connected is left out).
     */
    async bulk(actor: Member, action: BulkAction, options: BulkOptions = {}): Promise<string[]> {
      const room = await leaderRoom(actor);
      const wanted = options.participants && new Set(options.participants);
      const excluded = new Set(options.exclude ?? []);
      // Instructors only when named: "everyone" is the class, as the leader's mute-all has it.
      const targets = (await deps.rooms.participantsOf(room.key)).filter(
        (p) => !excluded.has(p.identity) && (wanted ? wanted.has(p.identity) : roleOf(p) !== 'instructor'),
      );
      const actions = bulkActions(action, options.kinds ?? ['audio', 'video']);
      for (const p of targets) {
        for (const a of actions) await act(room, actor, p.identity, p, a);
      }
      return targets.map((p) => p.identity);
    },

    async room(actor: Member, action: RoomAction): Promise<void> {
      const room = await leaderRoom(actor);
      if (action === 'lock' || action === 'unlock') {
        const updated = await deps.store.change(room.key, { kind: 'locked', value: action === 'lock' }, now());
        await publishMetadata(updated, actor);
      }
      if (action === 'chat-off' || action === 'chat-on') {
        // Stored first, so a token minted from now on carries it; then every connected participant's data
        // permission follows (observers never have it, instructors always keep it).
        const updated = await deps.store.change(room.key, { kind: 'chat', value: action === 'chat-on' }, now());
        for (const p of await deps.rooms.participantsOf(room.key)) {
          if (roleOf(p) === 'participant') await enforce(updated, actor, p);
        }
        await publishMetadata(updated, actor);
      }
      if (action === 'mute-all') {
        for (const p of await deps.rooms.participantsOf(room.key)) {
          if (roleOf(p) === 'instructor') continue;
          const change = { kind: 'muted', identity: p.identity, source: 'microphone', value: true } as const;
          const updated = await deps.store.change(room.key, change, now());
          await enforce(updated, actor, p);
          await muteTracks(room.key, p, 'microphone');
        }
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

    async waiting(actor: Member, identity: string, action: WaitingAction): Promise<void> {
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
    async admitAll(actor: Member, identities: readonly string[]): Promise<string[]> {
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
