import { AppError } from '../errors.js';
import type { LiveKitGateway, ParticipantInfo } from '../livekit/gateway.js';
import type { Logger } from '../log.js';
import type { AuditStore } from './audit-store.js';
import { breakoutTitle, manualPlan, randomPlan, roomsOf, type BreakoutPlan } from './breakout-plan.js';
import { roundOf, type BreakoutFact, type BreakoutRound, type BreakoutStore } from './breakout-store.js';
import { grantsFor } from './grants.js';
import { roomMetadata } from './room-metadata.js';
import { identityIn } from './room-owner.js';
import { roleOf, type JoinGrant, type Member, type RoomService } from './room-service.js';
import type { RoomRecord } from './room-store.js';

/** The data topic of the main room and the breakouts on which the tool tells clients to look again. */
export const BREAKOUT_TOPIC = 'breakout';
/** Longest "return in" countdown a leader may give. */
export const BREAKOUT_MAX_COUNTDOWN_SECONDS = 300;
export const BREAKOUT_MAX_MESSAGE = 500;
/** Breakout rooms outlive the countdown a little, so the last clients move over before the SFU drops them. */
const DELETE_AFTER_RETURN_MS = 5_000;
/** A moved person's client switches rooms on the push; the SFU drops their old connection after this. */
const MOVE_GRACE_MS = 3_000;

/** A breakout's LiveKit room name: the class's room key, the round and the room number. */
export const breakoutName = (roomKey: string, round: number, room: number): string => `${roomKey}-b${round}-${room}`;
/** The parent room key and place of a breakout's room name (undefined for any other room). */
export function parseBreakoutName(name: string): { roomKey: string; round: number; room: number } | undefined {
  const m = /^(.+)-b(\d+)-(\d+)$/.exec(name);
  return m ? { roomKey: m[1] as string, round: Number(m[2]), room: Number(m[3]) } : undefined;
}

export type OpenRequest =
  { count: number; mode: 'random' } | { count: number; mode: 'manual'; assignment: Record<string, number> };

export interface BreakoutDeps {
  store: BreakoutStore;
  rooms: RoomService;
  livekit: LiveKitGateway;
  audit: AuditStore;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
}

const ignoreGone = (err: unknown): void => {
  if ((err as AppError).code !== 'LIVEKIT_NOT_FOUND') throw err;
};

/** Breakout rounds of a live class: a leader splits the learners into rooms, visits, broadcasts, calls them back. */
export function createBreakouts(deps: BreakoutDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ module: 'breakouts' });
  const timers = new Set<NodeJS.Timeout>();

  const latest = async (roomKey: string) => roundOf(await deps.store.latest(roomKey));

  /** The round people are in (or returning from): of the class's current session, and not yet over. */
  const activeRound = (round: BreakoutRound | undefined, room: RoomRecord): BreakoutRound | undefined => {
    if (!round || room.state !== 'live' || round.sessionId !== room.currentSessionId) return undefined;
    if (round.returnAt && round.returnAt.getTime() <= now().getTime()) return undefined;
    return round;
  };

  const leaderRoom = async (actor: Member) => {
    if (actor.role !== 'instructor')
      throw new AppError('FORBIDDEN', { message: 'Only instructors can lead breakouts.' });
    return deps.rooms.ensureRoom(actor);
  };

  /** The open round (not closing) the leader acts on. */
  const openRound = async (room: RoomRecord) => {
    const round = activeRound(await latest(room.key), room);
    if (!round || round.closedAt) throw new AppError('BREAKOUT_NOT_OPEN');
    return round;
  };

  const audit = (room: RoomRecord, actor: Member, action: string, target?: string) =>
    deps.audit.append({
      roomKey: room.key,
      sessionId: room.currentSessionId,
      actor: identityIn(actor.owner, actor.userId),
      action,
      target,
      at: now(),
    });

  const ensureBreakout = (room: RoomRecord, actor: Member, round: number, n: number) => {
    const metadata = JSON.parse(roomMetadata(actor.settings, room)) as Record<string, unknown>;
    metadata.breakout = { room: n, title: breakoutTitle(n) };
    return deps.rooms.ensureSfuRoom(room, actor.settings, breakoutName(room.key, round, n), JSON.stringify(metadata));
  };

  /** Clients look again on any push (a missed one only delays them: they re-read the state on reconnect). */
  const push = async (roomNames: readonly string[], payload: object, to?: string[]) => {
    await Promise.all(
      roomNames.map((name) =>
        deps.livekit.sendData(name, payload, { topic: BREAKOUT_TOPIC, ...(to ? { to } : {}) }).catch((err: unknown) => {
          if ((err as AppError).code !== 'LIVEKIT_NOT_FOUND') log.warn({ err, room: name }, 'breakout push failed');
        }),
      ),
    );
  };
  const roomNamesOf = (round: BreakoutRound) =>
    Array.from({ length: round.count }, (_, i) => breakoutName(round.roomKey, round.round, i + 1));

  const deleteRooms = async (round: BreakoutRound) => {
    await Promise.all(roomNamesOf(round).map((name) => deps.livekit.deleteRoom(name).catch(ignoreGone)));
  };
  const later = (ms: number, work: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work().catch((err: unknown) => log.warn({ err }, 'breakout cleanup failed'));
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  /** Everyone in a breakout now, as the SFU lists them. */
  const breakoutParticipants = async (round: BreakoutRound): Promise<ParticipantInfo[]> =>
    (await Promise.all(roomNamesOf(round).map((name) => deps.rooms.participantsOf(name)))).flat();

  const learnersIn = async (roomKey: string) =>
    (await deps.rooms.participantsOf(roomKey)).filter((p) => roleOf(p) === 'participant');

  const planFor = (request: OpenRequest, learners: readonly string[]): BreakoutPlan => {
    if (request.mode === 'random') return randomPlan(learners, request.count, deps.random);
    const present = new Set(learners);
    const stranger = Object.keys(request.assignment).find((id) => !present.has(id));
    if (stranger) throw new AppError('BREAKOUT_PERSON_UNKNOWN', { details: { identity: stranger } });
    const plan = manualPlan(learners, request.count, request.assignment);
    if ('error' in plan) throw new AppError('BREAKOUT_ROOM_UNKNOWN', { details: { identity: plan.identity } });
    return plan;
  };

  return {
    /** The round as everyone sees it, and where the asker belongs now (0: the main room). */
    async state(m: Member) {
      const room = await deps.rooms.ensureRoom(m);
      const round = activeRound(await latest(room.key), room);
      const identity = identityIn(m.owner, m.userId);
      if (!round) return { place: 0 };
      const rooms = roomsOf(round).map((r) => ({
        room: r.room,
        title: r.title,
        people: r.identities.map((id) => ({ identity: id, name: round.names[id] ?? id })),
      }));
      return {
        place: round.placements[identity] ?? 0,
        round: {
          round: round.round,
          count: round.count,
          openedAt: round.openedAt.toISOString(),
          ...(round.returnAt ? { returnAt: round.returnAt.toISOString() } : {}),
          rooms,
        },
      };
    },

    async open(actor: Member, request: OpenRequest): Promise<void> {
      const room = await leaderRoom(actor);
      if (room.state !== 'live') throw new AppError('BREAKOUT_CLASS_NOT_LIVE');
      const last = await latest(room.key);
      if (activeRound(last, room)) throw new AppError('BREAKOUT_ALREADY_OPEN');
      const present = await learnersIn(room.key);
      if (present.length === 0) throw new AppError('BREAKOUT_NOBODY');
      const plan = planFor(
        request,
        present.map((p) => p.identity),
      );
      const round = (last?.round ?? 0) + 1;
      const names = Object.fromEntries(present.map((p) => [p.identity, p.name]));
      const fact: BreakoutFact = {
        kind: 'opened',
        roomKey: room.key,
        round,
        sessionId: room.currentSessionId,
        count: plan.count,
        placements: plan.placements,
        names,
        at: now(),
      };
      // Two leaders opening at once compute the same round number: the unique insert lets one through.
      if (!(await deps.store.append(fact))) throw new AppError('BREAKOUT_ALREADY_OPEN');
      await Promise.all(Array.from({ length: plan.count }, (_, i) => ensureBreakout(room, actor, round, i + 1)));
      await push([room.key], { type: 'opened', round });
      log.info({ roomKey: room.key, round, count: plan.count }, 'breakouts opened');
      await audit(room, actor, 'breakouts-open');
    },

    /**
     * A join token for where the member belongs now: their breakout, or the main room (through the class's
     * own join, with all its checks). A leader may `visit` any breakout of the open round.
     */
    async token(m: Member, visit?: number): Promise<JoinGrant> {
      const room = await deps.rooms.ensureRoom(m);
      const round = activeRound(await latest(room.key), room);
      const identity = identityIn(m.owner, m.userId);
      if (visit !== undefined && m.role !== 'instructor')
        throw new AppError('FORBIDDEN', { message: 'Only instructors can visit breakout rooms.' });
      const place = visit ?? (round ? round.placements[identity] : undefined);
      if (!round || !place) return deps.rooms.join(m);
      if (place > round.count) throw new AppError('BREAKOUT_ROOM_UNKNOWN');
      if (room.controls[identity]?.removed) throw new AppError('ROOM_PARTICIPANT_REMOVED');
      await ensureBreakout(room, m, round.round, place);
      const control = room.controls[identity];
      const grants = grantsFor(m.role, m.settings, room, control);
      // The controls travel in the attributes as in the main room: a deafened page says why it hears nobody.
      return deps.rooms.mint(
        breakoutName(room.key, round.round, place),
        identity,
        m,
        { role: m.role },
        grants,
        control,
      );
    },

    async move(actor: Member, identity: string, to: number): Promise<void> {
      const room = await leaderRoom(actor);
      const round = await openRound(room);
      if (to < 1 || to > round.count) throw new AppError('BREAKOUT_ROOM_UNKNOWN');
      let name = round.names[identity];
      if (name === undefined) {
        // Someone who came in after the round opened is moved out of the main room.
        const learner = (await learnersIn(room.key)).find((p) => p.identity === identity);
        if (!learner) throw new AppError('BREAKOUT_PERSON_UNKNOWN', { details: { identity } });
        name = learner.name;
      }
      const from = round.placements[identity];
      if (from === to) return;
      // The next seq of this person's placements: a concurrent move of the same person takes the next one.
      let seq = (round.seqs[identity] ?? 0) + 1;
      while (
        !(await deps.store.append({
          kind: 'placed',
          roomKey: room.key,
          round: round.round,
          identity,
          name,
          room: to,
          seq,
          at: now(),
        }))
      )
        seq++;
      const old = from ? breakoutName(room.key, round.round, from) : room.key;
      await push([old], { type: 'moved', round: round.round }, [identity]);
      // Out of the old room soon (the push gives the client a moment to move over first); a token for it is
      // turned away on join from now on (session-tracker's breakout check).
      if (from) later(MOVE_GRACE_MS, () => deps.livekit.removeParticipant(old, identity).catch(ignoreGone));
      await audit(room, actor, 'breakouts-move', identity);
    },

    async broadcast(actor: Member, text: string): Promise<void> {
      const room = await leaderRoom(actor);
      const round = await openRound(room);
      const message = { type: 'broadcast', round: round.round, text, from: actor.name, at: now().toISOString() };
      await push([room.key, ...roomNamesOf(round)], message);
      await audit(room, actor, 'breakouts-broadcast');
    },

    /** Everyone back in the main room after `countdownSeconds`; the breakout rooms go right after. */
    async close(actor: Member, countdownSeconds: number): Promise<void> {
      const room = await leaderRoom(actor);
      const round = await openRound(room);
      const at = now();
      const returnAt = new Date(at.getTime() + countdownSeconds * 1000);
      await deps.store.append({ kind: 'closed', roomKey: room.key, round: round.round, at, returnAt });
      const names = [room.key, ...roomNamesOf(round)];
      await push(names, { type: 'closing', round: round.round, returnAt: returnAt.toISOString() });
      later(countdownSeconds * 1000, () => push(names, { type: 'closed', round: round.round }));
      later(countdownSeconds * 1000 + DELETE_AFTER_RETURN_MS, () => deleteRooms(round));
      log.info({ roomKey: room.key, round: round.round, countdownSeconds }, 'breakouts closing');
      await audit(room, actor, 'breakouts-close');
    },

    /** The class ends: its round closes now. Answers who was in a breakout (attendance keeps them). */
    async end(roomKey: string): Promise<ParticipantInfo[]> {
      const round = await latest(roomKey);
      if (!round || (round.returnAt && round.returnAt.getTime() <= now().getTime())) return [];
      const at = now();
      await deps.store.append({ kind: 'closed', roomKey, round: round.round, at, returnAt: at });
      const present = await breakoutParticipants(round).catch(() => []);
      await deleteRooms(round);
      return present;
    },

    /** The LiveKit rooms of the round people are in (open or counting down), which the leader's controls reach. */
    async roomNames(roomKey: string): Promise<string[]> {
      const round = await latest(roomKey);
      if (!round || (round.returnAt && round.returnAt.getTime() <= now().getTime())) return [];
      return roomNamesOf(round);
    },

    /** Someone removed from the class leaves their breakout at once. */
    async evict(roomKey: string, identity: string): Promise<void> {
      const round = await latest(roomKey);
      const place = round?.placements[identity];
      if (round && place && !round.returnAt)
        await deps.livekit.removeParticipant(breakoutName(roomKey, round.round, place), identity).catch(ignoreGone);
    },

    /**
     * For the webhook path: whether the breakout room `name` may hold `identity` now (their placement, or a
     * leader's visit). False turns them away, which is how a moved person's old token stops working.
     */
    async admits(name: string, identity: string, instructor: boolean): Promise<boolean> {
      const parsed = parseBreakoutName(name);
      if (!parsed) return true;
      const round = await latest(parsed.roomKey);
      if (!round || round.round !== parsed.round) return false;
      if (round.returnAt && round.returnAt.getTime() <= now().getTime()) return false;
      return instructor || round.placements[identity] === parsed.room;
    },

    /** A round open in the class keeps its session going while the main room is empty (all in breakouts). */
    async holdsSession(roomKey: string): Promise<boolean> {
      const round = await latest(roomKey);
      return !!round && !round.closedAt;
    },

    stop(): void {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

export type Breakouts = ReturnType<typeof createBreakouts>;
