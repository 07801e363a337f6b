import type { Connection } from 'mongoose';
import type { Logger } from '../log.js';
import type { ExpiryRule } from './indexes.js';

export interface CleanupJob {
  runOnce(now?: Date): Promise<number>;
  stop(): Promise<void>;
}

/** Does what TTL indexes would do on a store that has none; one pass at a time, never overlapping. */
export function startCleanupJob(
  connection: Connection,
  rules: readonly ExpiryRule[],
  intervalMs: number,
  logger: Logger,
): CleanupJob {
  const log = logger.child({ module: 'cleanup' });
  let running: Promise<number> | undefined;

  const runOnce = async (now = new Date()): Promise<number> => {
    let removed = 0;
    for (const rule of rules) {
      const cutoff = new Date(now.getTime() - rule.maxAgeSeconds * 1000);
      const result = await connection.collection(rule.collection).deleteMany({ [rule.field]: { $lt: cutoff } });
      removed += result.deletedCount;
    }
    if (removed > 0) log.debug({ removed }, 'expired documents removed');
    return removed;
  };

  const tick = (): void => {
    if (running) return;
    running = runOnce()
      .catch((err: unknown) => {
        log.warn({ err }, 'cleanup pass failed; will retry');
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = rules.length > 0 ? setInterval(tick, intervalMs) : undefined;
  timer?.unref();

  return {
    runOnce,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
