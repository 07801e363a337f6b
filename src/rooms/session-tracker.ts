import type { LiveKitEvent } from '../livekit/webhooks.js';
import type { LiveKitGateway, ParticipantInfo } from '../livekit/gateway.js';
import type { WebhookStore } from '../livekit/webhook-store.js';
import type { Logger } from '../log.js';
import { roleOfParticipant, type Role } from './grants.js';
import type { RoomRecord, RoomStore } from './room-store.js';
import { parseBreakoutName, type Breakouts } from './breakouts.js';

const JOIN_EVENTS = new Set(['participant_joined']);
const LEAVE_EVENTS = new Set(['participant_left', 'participant_connection_aborted']);

/** What happened in a room of ours, for listeners such as integrator webhooks. */
export interface TrackedEvent {
  type: 'session.started' | 'session.ended' | 'participant.joined' | 'participant.left';
  /** Stable per fact: the session id for session events, the LiveKit webhook id for participant events. */
  sourceId: string;
  room: RoomRecord;
  sessionId?: string;
  at: Date;
  participant?: { identity: string; name: string; role?: string };
}

/**
 * Turns LiveKit webhooks into room state, sessions and the join/leave log. Idempotent: every write is
 * keyed (session per room, join/leave per webhook id, outbox per fact) and the webhook id is recorded
 * last, so a delivery that failed halfway is redone in full by LiveKit's retry while a delivery that
 * completed is skipped. Order-tolerant: a join before room_started opens the session, a leave after
 * room_finished still lands in the session it belonged to.
 */
export function createSessionTracker(deps: {
  store: RoomStore;
  webhooks: WebhookStore;
  livekit: LiveKitGateway;
  logger: Logger;
  /** Awaited before the webhook is acknowledged; a failure makes the route answer 500. */
  onEvent?: (event: TrackedEvent) => Promise<void>;
  /** Breakout rooms' joins and leaves are their class's (breakouts.ts). */
  breakouts?: Pick<Breakouts, 'admits' | 'holdsSession'>;
  /**
   * Egress's webhooks (egress_started/updated/ended, on this same endpoint): recorded by the recordings
   * module before the webhook is acknowledged; a failure makes the route answer 500 and LiveKit retry.
   */
  onEgress?: (event: LiveKitEvent) => Promise<void>;
}) {
  const log = deps.logger.child({ module: 'sessions' });
  const emit = async (event: TrackedEvent): Promise<void> => deps.onEvent?.(event);

  return {
    /** Returns false for a duplicate delivery. Persists before the caller answers 200. */
    async handle(event: LiveKitEvent): Promise<boolean> {
      if (await deps.webhooks.seen(event.id)) return false;
      if (event.egress) await deps.onEgress?.(event);
      else await apply(event);
      return deps.webhooks.mark(event.id, event.event, new Date());
    },
  };

  async function apply(event: LiveKitEvent): Promise<void> {
    const sfuRoom = event.room?.name;
    if (!sfuRoom) return;
    // A breakout's joins and leaves are facts of its class's session: time there is time in class.
    const breakout = deps.breakouts ? parseBreakoutName(sfuRoom) : undefined;
    const roomKey = breakout?.roomKey ?? sfuRoom;
    const room = await deps.store.get(roomKey);
    // Lobby rooms and rooms the tool did not create carry nothing to record.
    if (!room) return;

    if (breakout && (event.event === 'room_started' || event.event === 'room_finished')) return;
    if (event.event === 'room_finished' && (await deps.breakouts?.holdsSession(roomKey))) {
      // Everyone may be in breakouts (the teacher visiting one): the class goes on without its main room.
      log.info({ roomKey }, 'main room finished during breakouts: session kept');
      return;
    }
    if (event.event === 'room_started') {
      const session = await deps.store.openClassSession(roomKey, event.room?.sid, event.createdAt);
      log.info({ roomKey, sessionId: session.sessionId }, 'session started');
      await emit({ type: 'session.started', sourceId: session.sessionId, room, ...sessionAt(session) });
    } else if (event.event === 'room_finished') {
      // The room is no longer live once its session is closed (its state is derived from that).
      const session = await deps.store.closeClassSession(roomKey, event.createdAt);
      log.info({ roomKey, sessionId: session?.sessionId }, 'session ended');
      if (session) {
        const at = session.endedAt ?? event.createdAt;
        await emit({ type: 'session.ended', sourceId: session.sessionId, room, sessionId: session.sessionId, at });
      }
    } else if (event.participant?.permission?.recorder) {
      // LiveKit Egress recording the class: not a person, so neither attendance nor presence.
      return;
    } else if (event.participant && (JOIN_EVENTS.has(event.event) || LEAVE_EVENTS.has(event.event))) {
      const joined = JOIN_EVENTS.has(event.event);
      // A breakout join never opens a session: its class's is open, or the join is late for an ended one.
      const session =
        joined && !breakout
          ? await deps.store.openClassSession(roomKey, event.room?.sid, event.createdAt)
          : await deps.store.latestClassSession(roomKey);
      // The role comes from what only the tool sets on the SFU (role attribute, permission), never metadata.
      const role = event.participant.permission ? roleOfParticipant(event.participant) : undefined;
      // A join before room_started opened the session: listeners hear of the session first.
      if (joined && session && session.sessionId !== room.currentSessionId) {
        await emit({ type: 'session.started', sourceId: session.sessionId, room, ...sessionAt(session) });
      }
      await deps.store.recordParticipant({
        eventId: event.id,
        roomKey,
        sessionId: session?.sessionId,
        identity: event.participant.identity,
        name: event.participant.name,
        role,
        kind: joined ? 'joined' : 'left',
        at: event.createdAt,
        ...(breakout ? { place: sfuRoom } : {}),
      });
      const { identity, name } = event.participant;
      await emit({
        type: joined ? 'participant.joined' : 'participant.left',
        sourceId: event.id,
        room,
        sessionId: session?.sessionId,
        at: event.createdAt,
        participant: { identity, name, role },
      });
      if (joined) await enforceOnJoin(room, event.participant, role, sfuRoom);
    }
  }

  /**
   * Lock, removal and the chat switch are ours, not LiveKit's, and a join token cannot be revoked: a token
   * minted just before the lock is turned away here, and one minted before the chat switch flipped gets
   * the room's current data permission (the rest of its permission is kept as the SFU holds it).
   */
  async function enforceOnJoin(
    room: RoomRecord,
    p: ParticipantInfo,
    role: Role | undefined,
    sfuRoom: string,
  ): Promise<void> {
    if (role === 'instructor') return;
    const breakout = sfuRoom !== room.key;
    // A breakout is no way round a lock or a removal; its placement decides who may be in it.
    const misplaced = breakout && !(await deps.breakouts?.admits(sfuRoom, p.identity, false));
    if ((room.locked && !breakout) || room.controls[p.identity]?.removed || misplaced) {
      await deps.livekit.removeParticipant(sfuRoom, p.identity).catch(() => undefined);
      log.info({ roomKey: room.key, identity: p.identity }, 'unexpected joiner removed');
    } else if (role === 'participant' && p.permission && p.permission.canPublishData !== room.chatEnabled) {
      const grants = { ...p.permission, canPublishData: room.chatEnabled };
      await deps.livekit.updateParticipant(sfuRoom, p.identity, { grants }).catch(() => undefined);
      log.info(
        { roomKey: room.key, identity: p.identity, chatEnabled: room.chatEnabled },
        'stale chat permission fixed',
      );
    }
  }
}

const sessionAt = (s: { sessionId: string; startedAt: Date }) => ({ sessionId: s.sessionId, at: s.startedAt });
