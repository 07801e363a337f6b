import { createPoller } from '../jobs/poller.js';
import type { Logger } from '../log.js';
import type { TrackedEvent } from '../rooms/session-tracker.js';
import type { AttendanceStore, PendingFinal } from './attendance-store.js';

export interface FinalizerDeps {
  store: AttendanceStore;
  /**
   * What a final attendance sets off (grades, integrator webhooks). Runs before the session is marked
   * final, so a crash in between runs it again: it must be idempotent (both are: unique job and event ids).
   */
  onFinal: (pending: PendingFinal) => Promise<void>;
  /** Leaves can trail the session's end by a few seconds (webhook order is not guaranteed): wait this long. */
  settleMs?: number;
  pollMs?: number;
  logger: Logger;
  now?: () => Date;
}

export interface Finalizer {
  /** The session tracker's listener: an ended session is noted (stored) before the webhook is acknowledged. */
  onEvent(event: TrackedEvent): Promise<void>;
  /** Notes an ended session directly (the teacher's "end for everyone"). */
  ended(pending: PendingFinal): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  /** One pass over the due sessions (tests, and each tick). */
  runOnce(): Promise<number>;
}

export const DEFAULT_SETTLE_MS = 5_000;

/**
 * Makes each ended session's attendance final once, in whichever tool process gets there: noted as pending
 * when the session ends, finalized by a poller (so a restart or a second instance picks it up), marked final
 * by a unique insert.
 */
export function createFinalizer(deps: FinalizerDeps): Finalizer {
  const log = deps.logger.child({ module: 'attendance' });
  const now = deps.now ?? (() => new Date());
  const settleMs = deps.settleMs ?? DEFAULT_SETTLE_MS;
  let running: Promise<number> | undefined;

  const finalize = async (p: PendingFinal): Promise<void> => {
    if (!(await deps.store.finalAt(p.sessionId))) {
      await deps.onFinal(p);
      if (await deps.store.markFinal(p.sessionId, now())) {
        log.info({ roomKey: p.roomKey, sessionId: p.sessionId }, 'attendance final');
      }
    }
    await deps.store.clearPending(p.sessionId);
  };

  const runOnce = (): Promise<number> =>
    (running ??= (async () => {
      let done = 0;
      try {
        const due = (await deps.store.pending(50)).filter((p) => p.endedAt.getTime() + settleMs <= now().getTime());
        for (const p of due) {
          try {
            await finalize(p);
            done += 1;
          } catch (err) {
            // Stays pending: the next tick tries again.
            log.warn({ err, sessionId: p.sessionId }, 'attendance not finalized yet');
          }
        }
      } finally {
        running = undefined;
      }
      return done;
    })());

  const poller = createPoller(runOnce, { pollMs: deps.pollMs ?? 5_000, log, what: 'attendance finalizer' });

  const ended = async (p: PendingFinal) => {
    await deps.store.markPending(p);
    poller.kick(settleMs);
  };

  return {
    async onEvent(event) {
      if (event.type !== 'session.ended' || !event.sessionId) return;
      await ended({ sessionId: event.sessionId, roomKey: event.room.key, endedAt: event.at });
    },
    ended,
    start: () => poller.start(),
    stop: async () => {
      await poller.stop();
      await running;
    },
    runOnce,
  };
}
