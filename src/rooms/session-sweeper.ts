import { createPoller } from '../jobs/poller.js';
import type { LiveKitGateway } from '../livekit/gateway.js';
import type { Logger } from '../log.js';
import { parseBreakoutName } from './breakouts.js';
import type { TrackedEvent } from './session-tracker.js';
import type { ClassSessionInfo, RoomStore } from './room-store.js';

export interface SessionSweeperDeps {
  store: RoomStore;
  livekit: LiveKitGateway;
  logger: Logger;
  /** The tracker's listeners: a swept session ends for attendance and integrators as if room_finished came. */
  onEvent: (event: TrackedEvent) => Promise<void>;
  /**
   * How long the SFU must go on lacking a session's room before the session is closed: an SFU that restarted
   * has no rooms until its participants rejoin, which they do within seconds.
   */
  graceMs?: number;
  pollMs?: number;
  now?: () => Date;
}

export const DEFAULT_SWEEP_GRACE_MS = 120_000;
const SWEEP_BATCH = 500;

/**
 * Closes class sessions whose room_finished never arrived (LiveKit does not guarantee webhook delivery): a
 * session still open while the SFU no longer has its room, seen on two passes at least `graceMs` apart, is
 * closed where the class really ended (the last leave when everyone's leave arrived, else when the room was
 * first seen gone). Two tool processes may both close it: closing and its listeners are idempotent.
 */
export function createSessionSweeper(deps: SessionSweeperDeps) {
  const log = deps.logger.child({ module: 'sessions' });
  const now = deps.now ?? (() => new Date());
  const graceMs = deps.graceMs ?? DEFAULT_SWEEP_GRACE_MS;
  /** Session id → when this process first saw the SFU without its room. */
  const missingSince = new Map<string, Date>();

  const endOf = async (s: ClassSessionInfo, since: Date): Promise<Date> => {
    const current = await deps.store.currentClassSession(s.roomKey);
    if (current?.present.length) return since;
    const events = (await deps.store.participantEvents(s.roomKey)).filter((e) => e.sessionId === s.sessionId);
    return events.at(-1)?.at ?? since;
  };

  const close = async (s: ClassSessionInfo, since: Date): Promise<boolean> => {
    const room = await deps.store.get(s.roomKey);
    if (!room || room.state !== 'live' || room.currentSessionId !== s.sessionId) return false;
    const closed = await deps.store.closeClassSession(s.roomKey, await endOf(s, since));
    if (!closed?.endedAt) return false;
    log.warn({ roomKey: s.roomKey, sessionId: s.sessionId }, 'session closed: the SFU no longer has its room');
    await deps.onEvent({
      type: 'session.ended',
      sourceId: s.sessionId,
      room,
      sessionId: s.sessionId,
      at: closed.endedAt,
    });
    return true;
  };

  const runOnce = async (): Promise<number> => {
    const open = await deps.store.openClassSessions(SWEEP_BATCH);
    // An SFU that does not answer proves nothing: the pass fails and nothing is marked.
    // Every SFU room, breakouts included: a class whose people are all in breakout rooms is still on.
    const live = new Set(
      open.length
        ? (await deps.livekit.listRooms()).flatMap((r) => [r.name, parseBreakoutName(r.name)?.roomKey ?? r.name])
        : [],
    );
    const stillOpen = new Set(open.map((s) => s.sessionId));
    for (const id of missingSince.keys()) if (!stillOpen.has(id)) missingSince.delete(id);
    let closed = 0;
    for (const s of open) {
      const since = missingSince.get(s.sessionId);
      if (live.has(s.roomKey)) missingSince.delete(s.sessionId);
      else if (!since) missingSince.set(s.sessionId, now());
      else if (now().getTime() - since.getTime() >= graceMs) {
        try {
          if (await close(s, since)) closed += 1;
          missingSince.delete(s.sessionId);
        } catch (err) {
          log.warn({ err, sessionId: s.sessionId }, 'session not swept yet');
        }
      }
    }
    return closed;
  };

  const poller = createPoller(runOnce, { pollMs: deps.pollMs ?? 60_000, log, what: 'session sweeper' });
  return { runOnce, start: () => poller.start(), stop: () => poller.stop() };
}
