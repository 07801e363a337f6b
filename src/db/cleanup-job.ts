import type { Connection } from 'mongoose';
import type { Logger } from '../log.js';
import { EXPIRY_BUCKET_FIELD, expiryBucketOf } from './expiry.js';
import type { ExpiryRule } from './indexes.js';

export interface CleanupJob {
  runOnce(now?: Date): Promise<number>;
  stop(): Promise<void>;
}

/** Buckets deleted again on each pass, for documents written a little after their bucket went. */
const LOOKBACK_BUCKETS = 1;
/** A longer gap (a suspended machine, a test's clock) is caught up with one range pass instead. */
const MAX_BUCKETS_PER_PASS = 60;

/**
 * Does what TTL indexes would do on a store that has none; one pass at a time, never overlapping.
 * Bucketed rules (src/db/expiry.ts) cost one equality delete per passed minute. The first pass, and any
 * pass after a long gap, deletes by date range instead: a scan of each collection (about a minute at
 * 100,000 documents on FerretDB), once per start, which also removes documents written before they
 * carried a bucket. Rules without buckets (ltijs's own collections, stores not moved over) scan on every
 * pass, so they must stay small.
 */
export function startCleanupJob(
  connection: Connection,
  rules: readonly ExpiryRule[],
  intervalMs: number,
  logger: Logger,
): CleanupJob {
  const log = logger.child({ module: 'cleanup' });
  const bucketedCollections = [...new Set(rules.filter((r) => r.bucketed).map((r) => r.collection))];
  /** The first bucket not yet deleted; unset until a range pass has run. */
  let nextBucket: number | undefined;
  let running: Promise<number> | undefined;

  const deleteByRange = async (rule: ExpiryRule, now: Date): Promise<number> => {
    const cutoff = new Date(now.getTime() - rule.maxAgeSeconds * 1000);
    return (await connection.collection(rule.collection).deleteMany({ [rule.field]: { $lt: cutoff } })).deletedCount;
  };

  const runOnce = async (now = new Date()): Promise<number> => {
    const current = expiryBucketOf(now);
    const caughtUp = nextBucket !== undefined && current - nextBucket <= MAX_BUCKETS_PER_PASS;
    let removed = 0;
    for (const rule of rules) {
      if (!rule.bucketed || !caughtUp) removed += await deleteByRange(rule, now);
    }
    if (caughtUp && current > (nextBucket as number)) {
      for (let bucket = (nextBucket as number) - LOOKBACK_BUCKETS; bucket < current; bucket += 1) {
        for (const collection of bucketedCollections) {
          const result = await connection.collection(collection).deleteMany({ [EXPIRY_BUCKET_FIELD]: bucket });
          removed += result.deletedCount;
        }
      }
    }
    if (!caughtUp || current > (nextBucket as number)) nextBucket = current;
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
