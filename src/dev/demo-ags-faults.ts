import express, { Router, type Response } from 'express';
import { z } from 'zod';

/**
 * What the demo LMS's score service does besides taking scores, so tests can prove the tool copes with
 * what strict LMSs answer: scores for people who are not learners of the course are refused (Canvas 422,
 * or Moodle 400 "Incorrect score received"); an older timestamp is refused (Moodle 409, or Canvas 400);
 * the next N posts fail (5xx, 429 with Retry-After, Canvas's 403 "Rate Limit Exceeded") or lose their
 * connection; posts beyond K a second are throttled. Counts every post so tests can say "posted once".
 */

export type RefusalStyle = 'canvas' | 'moodle';

const faultSchema = z
  .object({
    /** How a score for a non-learner is refused (default canvas: 422). */
    style: z.enum(['canvas', 'moodle']).optional(),
    /** How a stale timestamp is refused (default moodle: 409). */
    staleStyle: z.enum(['canvas', 'moodle']).optional(),
    /** The next `count` score posts fail with `status`. */
    fail: z
      .object({
        count: z.number().int().min(1).max(1000),
        status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(429), z.literal(403)]),
        retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
      })
      .strict()
      .optional(),
    /** The next `count` score posts get no answer: the connection is destroyed. */
    drop: z.number().int().min(1).max(1000).optional(),
    /** At most this many score posts a second; more get 429 with Retry-After: 1. */
    perSecond: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type AgsFaults = z.infer<typeof faultSchema>;

export interface ScoreStats {
  received: number;
  accepted: number;
  refused: number;
  failed: number;
  /** Accepted posts per line item id and user id. */
  acceptedBy: Record<string, Record<string, number>>;
}

export class ScoreFaults {
  style: RefusalStyle = 'canvas';
  staleStyle: RefusalStyle = 'moodle';
  private fail?: { left: number; status: number; retryAfterSeconds?: number };
  private dropLeft = 0;
  private perSecond?: number;
  private window = { second: 0, count: 0 };
  stats: ScoreStats = emptyStats();

  set(faults: AgsFaults): void {
    if (faults.style) this.style = faults.style;
    if (faults.staleStyle) this.staleStyle = faults.staleStyle;
    if (faults.fail)
      this.fail = {
        left: faults.fail.count,
        status: faults.fail.status,
        retryAfterSeconds: faults.fail.retryAfterSeconds,
      };
    if (faults.drop) this.dropLeft = faults.drop;
    if (faults.perSecond) this.perSecond = faults.perSecond;
  }

  reset(): void {
    this.style = 'canvas';
    this.staleStyle = 'moodle';
    this.fail = undefined;
    this.dropLeft = 0;
    this.perSecond = undefined;
    this.stats = emptyStats();
  }

  /** Answers a score post with a fault and returns true, or returns false to let it through. */
  intercept(res: Response): boolean {
    this.stats.received += 1;
    if (this.dropLeft > 0) {
      this.dropLeft -= 1;
      this.stats.failed += 1;
      res.socket?.destroy();
      return true;
    }
    if (this.fail && this.fail.left > 0) {
      this.fail.left -= 1;
      this.stats.failed += 1;
      const { status, retryAfterSeconds } = this.fail;
      if (retryAfterSeconds !== undefined) res.set('retry-after', String(retryAfterSeconds));
      if (status === 403)
        res
          .status(403)
          .set('x-rate-limit-remaining', '0')
          .json({ errors: [{ message: 'Rate Limit Exceeded' }] });
      else
        res.status(status).json({
          error: status === 429 ? 'too_many_requests' : 'server_error',
          error_description: `demo fault ${status}`,
        });
      return true;
    }
    if (this.perSecond !== undefined) {
      const second = Math.floor(Date.now() / 1000);
      if (this.window.second !== second) this.window = { second, count: 0 };
      this.window.count += 1;
      if (this.window.count > this.perSecond) {
        this.stats.failed += 1;
        res.status(429).set('retry-after', '1').json({ error: 'too_many_requests', error_description: 'throttled' });
        return true;
      }
    }
    return false;
  }

  /** A score for someone the course cannot grade, answered the way the chosen LMS does. */
  refuseNonLearner(res: Response): void {
    this.stats.refused += 1;
    if (this.style === 'moodle') res.status(400).json({ status: 400, reason: 'Incorrect score received' });
    else
      res
        .status(422)
        .json({ errors: { type: 'unprocessable_entity', message: 'User not found in course or is not a student' } });
  }

  /** A score older than the one stored: Moodle answers 409, Canvas 400 naming the timestamp. */
  refuseStale(res: Response): void {
    this.stats.refused += 1;
    if (this.staleStyle === 'moodle')
      res.status(409).json({
        error: 'conflict',
        error_description: 'a score with a later timestamp is already recorded for this user',
      });
    else res.status(400).json({ errors: [{ message: 'Score timestamp not after the one already stored' }] });
  }

  accepted(lineItemId: string, userId: string): void {
    this.stats.accepted += 1;
    const byUser = (this.stats.acceptedBy[lineItemId] ??= {});
    byUser[userId] = (byUser[userId] ?? 0) + 1;
  }
}

function emptyStats(): ScoreStats {
  return { received: 0, accepted: 0, refused: 0, failed: 0, acceptedBy: {} };
}

/** POST/DELETE /ags/faults and GET /ags/stats, for tests (the demo never runs in production). */
export function faultsRouter(faults: ScoreFaults): Router {
  const router = Router();
  router.post('/ags/faults', express.json({ limit: '4kb' }), (req, res) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success)
      return void res.status(400).json({ error: 'invalid_request', error_description: parsed.error.message });
    faults.set(parsed.data);
    res.status(204).end();
  });
  router.delete('/ags/faults', (_req, res) => {
    faults.reset();
    res.status(204).end();
  });
  router.get('/ags/stats', (_req, res) => {
    res.set('cache-control', 'no-store').json(faults.stats);
  });
  return router;
}
