import { AppError } from '../errors.js';
import type { LiveKitGateway, ParticipantInfo } from '../livekit/gateway.js';
import type { Logger } from '../log.js';
import type { ActivitySettings } from './activity-settings.js';
import { grantsFor, HAND_ATTRIBUTE, roleOfParticipant, type Grants, type Role } from './grants.js';
import { decideJoin } from './join-policy.js';
import { identityIn, roomKeyOf, type RoomOwner } from './room-owner.js';
import { roomMetadata } from './room-metadata.js';
import { attributesFor } from './room-data.js';
import type { ParticipantControl, RoomRecord, RoomStore } from './room-store.js';
import { seatFor, type WaitlistStore } from './waitlist.js';

/** The person asking, as plain data from their launch. */
export interface Member {
  /** Whose room the member joins: their LMS placement, or the integrator space of their join link. */
  owner: RoomOwner;
  activityId?: string;
  userId: string;
  name: string;
  role: Role;
  settings: ActivitySettings;
}

export interface JoinGrant {
  /** The LiveKit URL the browser connects to. */
  url: string;
  token: string;
  identity: string;
  expiresAt: string;
  room: string;
}

export interface RoomServiceDeps {
  store: RoomStore;
  /** The line for a full class (waitlist.ts). */
  waitlist: WaitlistStore;
  livekit: LiveKitGateway;
  /** The LiveKit URL browsers connect to. */
  livekitUrl: string;
  tokenTtlSeconds: number;
  logger: Logger;
  now?: () => Date;
}

export const WAITING_TOPIC = 'waiting-room';
export type WaitingTopic = typeof WAITING_TOPIC;
export const lobbyName = (roomKey: string): string => `${roomKey}-lobby`;

/** The role of a connected participant, from what only the tool sets on the SFU (see roleOfParticipant). */
export const roleOf = (p: Pick<ParticipantInfo, 'attributes' | 'permission'>): Role => roleOfParticipant(p);

export function createRoomService(deps: RoomServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ module: 'rooms' });

  /** Connected participants; LiveKit answers an empty list (or 404) for a room it does not have. */
  const participantsOf = async (room: string): Promise<ParticipantInfo[]> => {
    try {
      return await deps.livekit.listParticipants(room);
    } catch (err) {
      if ((err as AppError).code === 'LIVEKIT_NOT_FOUND') return [];
      throw err;
    }
  };

  const ensureRoom = (m: Member): Promise<RoomRecord> =>
    deps.store.ensure({ key: roomKeyOf(m.owner), owner: m.owner, activityId: m.activityId });

  /** Creating an existing LiveKit room is a no-op that returns it, so this is safe on every join. */
  const ensureSfuRoom = async (
    room: RoomRecord,
    settings: ActivitySettings,
    name = room.key,
    metadata = roomMetadata(settings, room),
  ): Promise<void> => {
    await deps.livekit.createRoom({
      name,
      // Headroom over the class size for instructors, who are never refused for capacity.
      maxParticipants: settings.maxParticipants + 5,
      emptyTimeoutSeconds: 10 * 60,
      departureTimeoutSeconds: 2 * 60,
      metadata,
    });
  };

  /** The name is the launch's and the role goes into attributes: the participant can change neither. */
  const mint = async (
    room: string,
    identity: string,
    m: Member,
    metadata: object,
    grants: Grants,
    /** The member's stored controls: deafness and metadata keys travel in the attributes too. */
    control?: ParticipantControl,
  ): Promise<JoinGrant> => {
    const { token, expiresAt } = await deps.livekit.mintJoinToken({
      room,
      identity,
      name: m.name,
      metadata: JSON.stringify(metadata),
      attributes: attributesFor(m.role, control),
      grants,
      ttlSeconds: deps.tokenTtlSeconds,
    });
    return { url: deps.livekitUrl, token, identity, expiresAt: expiresAt.toISOString(), room };
  };

  /** Waiting participants sit in a silent lobby room, where the tool can push the instructor's answer. */
  const waitInLobby = async (room: RoomRecord, m: Member, identity: string): Promise<JoinGrant> => {
    if (room.controls[identity]?.waiting !== 'pending') {
      await deps.store.change(room.key, { kind: 'knock', identity, name: m.name, role: m.role }, now());
      await notifyInstructors(room.key);
    }
    await deps.livekit.createRoom({
      name: lobbyName(room.key),
      emptyTimeoutSeconds: 10 * 60,
      departureTimeoutSeconds: 60,
    });
    return mint(
      lobbyName(room.key),
      identity,
      m,
      { role: m.role, waiting: true },
      {
        roomAdmin: false,
        canPublish: false,
        canPublishSources: [],
        canSubscribe: false,
        canPublishData: false,
        canUpdateOwnMetadata: false,
        hidden: true,
        recorder: false,
      },
    );
  };

  /** Instructors in the room get the queue pushed whenever it changes (no polling). */
  const notifyInstructors = async (roomKey: string): Promise<void> => {
    const instructors = (await participantsOf(roomKey))
      .filter((p) => roleOf(p) === 'instructor')
      .map((p) => p.identity);
    if (instructors.length === 0) return;
    const queue = await waitingQueue(roomKey);
    await deps.livekit
      .sendData(roomKey, { type: 'queue', queue }, { topic: WAITING_TOPIC, to: instructors })
      .catch((err: unknown) => {
        log.warn({ err, roomKey }, 'could not push the waiting queue');
      });
  };

  const waitingQueue = async (roomKey: string) => {
    const room = await deps.store.get(roomKey);
    return Object.entries(room?.controls ?? {})
      .filter(([, c]) => c.waiting === 'pending')
      .map(([identity, c]) => ({
        identity,
        name: c.name ?? identity,
        role: c.role ?? 'participant',
        since: c.waitingSince,
      }));
  };

  /**
   * A participant's seat in a class that is full or has a line (waitlist.ts): throws ROOM_FULL with their
   * place in line (entering it, unless `prepare`), or says whether the seat came from the line.
   */
  const takeSeat = async (
    roomKey: string,
    m: Member,
    identity: string,
    present: readonly ParticipantInfo[],
    full: boolean,
    prepare: boolean,
  ): Promise<boolean> => {
    const at = now();
    const entries = await deps.waitlist.entries(roomKey);
    if (entries.length === 0 && !full) return false;
    const connected = new Set(present.map((p) => p.identity));
    const seat = seatFor({
      entries,
      present: connected,
      identity,
      maxParticipants: m.settings.maxParticipants,
      now: at,
    });
    const gone = entries.filter((e) => connected.has(e.identity)).map((e) => e.identity);
    void deps.waitlist
      .remove(roomKey, gone)
      .catch((err: unknown) => log.warn({ err, roomKey }, 'waitlist sweep failed'));
    if (seat.admit && !full) {
      if (seat.fromLine && !prepare) await deps.waitlist.admitted(roomKey, identity, at);
      return seat.fromLine;
    }
    if (prepare) return true;
    // Someone connected beyond capacity (the limit was lowered) is refused a new token but not queued.
    if (!connected.has(identity)) await deps.waitlist.enter(roomKey, { identity, name: m.name }, at);
    const position = seat.admit ? 1 : seat.position;
    throw new AppError('ROOM_FULL', { details: { maxParticipants: m.settings.maxParticipants, position } });
  };

  /** join() and prepare(): `prepare` answers undefined wherever join() would refuse or change something. */
  async function decideAndMint(m: Member, prepare: boolean): Promise<JoinGrant | undefined> {
    let room = await ensureRoom(m);
    const identity = identityIn(m.owner, m.userId);
    const present = await participantsOf(room.key);
    const decision = decideJoin({
      role: m.role,
      settings: m.settings,
      room,
      control: room.controls[identity],
      instructorPresent: present.some((p) => roleOf(p) === 'instructor'),
      participantCount: present.filter((p) => p.identity !== identity).length,
      now: now(),
    });
    if (prepare && (!decision.ok || decision.reopen || present.length === 0)) return undefined;
    if (m.role !== 'instructor' && (decision.ok || decision.code === 'ROOM_FULL')) {
      const fromLine = await takeSeat(room.key, m, identity, present, !decision.ok, prepare);
      if (prepare && fromLine) return undefined;
    }
    if (!decision.ok) {
      const { ok: _ok, code, ...details } = decision;
      if (code === 'ROOM_IN_WAITING_ROOM') {
        const lobby = await waitInLobby(room, m, identity);
        throw new AppError(code, { details: { lobby } });
      }
      throw new AppError(code, { details });
    }
    if (decision.reopen) {
      room = await deps.store.change(room.key, { kind: 'ended', value: false }, now());
      log.info({ roomKey: room.key }, 'room reopened by an instructor');
    }
    // Someone is in the SFU room (prepare), so it exists: creating it again would be a no-op.
    if (!prepare) await ensureSfuRoom(room, m.settings);
    const grants = grantsFor(m.role, m.settings, room, room.controls[identity]);
    return mint(room.key, identity, m, { role: m.role }, grants, room.controls[identity]);
  }

  return {
    waitingQueue,
    notifyInstructors,
    participantsOf,
    ensureRoom,
    /** Breakout rooms (breakouts.ts) are SFU rooms like the class's, with the same limits and timeouts. */
    ensureSfuRoom,
    /** A join token for any room of the class (a breakout's too), with the name and role of the launch. */
    mint,

    /** A short-lived join token, or a refusal with a stable code (ROOM_IN_WAITING_ROOM carries a lobby token). */
    async join(m: Member): Promise<JoinGrant> {
      return (await decideAndMint(m, false)) as JoinGrant;
    },

    /**
     * The pre-join page's early token, asked before the click so that Join connects at once: the same
     * decision and grants as join(), but only where joining changes nothing on its own. Undefined (ask
     * again on Join) when join() would refuse, knock in the waiting room, reopen an ended room, or create
     * the SFU room (nobody is in it: creating it opens a class session).
     */
    prepare(m: Member): Promise<JoinGrant | undefined> {
      return decideAndMint(m, true);
    },

    /**
     * Raises or lowers the member's own hand: the tool writes the `hand` attribute (the time, on the tool's
     * clock, so every client orders the queue alike), since participants cannot write their own.
     */
    async setHand(m: Member, raised: boolean): Promise<void> {
      if (m.role === 'observer') throw new AppError('FORBIDDEN', { message: 'Observers cannot raise a hand.' });
      const attributes = { [HAND_ATTRIBUTE]: raised ? now().toISOString() : '' };
      await deps.livekit
        .updateParticipant(roomKeyOf(m.owner), identityIn(m.owner, m.userId), { attributes })
        .catch((err: unknown) => {
          if ((err as AppError).code === 'LIVEKIT_NOT_FOUND') throw new AppError('ROOM_NOT_JOINED');
          throw err;
        });
    },
  };
}

export type RoomService = ReturnType<typeof createRoomService>;
