import type { LiveKitEvent } from '../livekit/webhooks.js';
import type { LiveKitGateway } from '../livekit/gateway.js';
import type { Logger } from '../log.js';
import type { RoomStore } from './room-store.js';

const JOIN_EVENTS = new Set(['participant_joined']);
const LEAVE_EVENTS = new Set(['participant_left', 'participant_connection_aborted']);

/**
 * Turns LiveKit webhooks into room state, sessions and the join/leave log. Idempotent: the webhook id is
 * recorded first, so a redelivered event does nothing; order-tolerant: a join before room_started opens
 * the session, a leave after room_finished still lands in the session it belonged to.
 */
export function createSessionTracker(deps: { store: RoomStore; livekit: LiveKitGateway; logger: Logger }) {
  const log = deps.logger.child({ module: 'sessions' });

  return {
    /** Returns false for a duplicate delivery. Persists before the caller answers 200. */
    async handle(event: LiveKitEvent): Promise<boolean> {
      if (!(await deps.store.markWebhook(event.id, event.event, new Date()))) return false;
      const roomKey = event.room?.name;
      if (!roomKey) return true;
      const room = await deps.store.get(roomKey);
      // Lobby rooms and rooms the tool did not create carry nothing to record.
      if (!room) return true;

      if (event.event === 'room_started') {
        const session = await deps.store.openSession(roomKey, event.room?.sid, event.createdAt);
        log.info({ roomKey, sessionId: session.sessionId }, 'session started');
      } else if (event.event === 'room_finished') {
        const session = await deps.store.closeSession(roomKey, event.createdAt);
        if (room.state === 'live') await deps.store.setState(roomKey, { state: 'created' });
        log.info({ roomKey, sessionId: session?.sessionId }, 'session ended');
      } else if (event.participant && (JOIN_EVENTS.has(event.event) || LEAVE_EVENTS.has(event.event))) {
        const joined = JOIN_EVENTS.has(event.event);
        const session = joined
          ? await deps.store.openSession(roomKey, event.room?.sid, event.createdAt)
          : await deps.store.currentSession(roomKey);
        const role = parseRole(event.participant.metadata);
        await deps.store.recordParticipant({
          eventId: event.id,
          roomKey,
          sessionId: session?.sessionId,
          identity: event.participant.identity,
          name: event.participant.name,
          role,
          kind: joined ? 'joined' : 'left',
          at: event.createdAt,
        });
        // Lock and removal are ours, not LiveKit's: a token minted just before the lock is turned away here.
        const control = room.controls[event.participant.identity];
        if (joined && role !== 'instructor' && (room.locked || control?.removed)) {
          await deps.livekit.removeParticipant(roomKey, event.participant.identity).catch(() => undefined);
          log.info({ roomKey, identity: event.participant.identity }, 'unexpected joiner removed');
        }
      }
      return true;
    },
  };
}

function parseRole(metadata: string): string | undefined {
  try {
    const role = (JSON.parse(metadata || '{}') as { role?: unknown }).role;
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
}
