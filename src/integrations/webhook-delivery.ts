import { randomBytes } from 'node:crypto';
import { BoundedFetchError, boundedFetch } from '../net/bounded-fetch.js';
import type { Logger } from '../log.js';
import type { SpaceStore } from './space-store.js';
import {
  backoffDelayMs,
  DEFAULT_BACKOFF_MS,
  DEFAULT_MAX_ATTEMPTS,
  signatureHeader,
  webhookUrlFor,
  type AttemptOutcome,
  type OutboxItem,
  type OutboxStore,
} from './webhook-outbox.js';

/**
 * Integrator webhooks, part 2: the delivery worker. One pass at a time (every `intervalMs`, and at once
 * after `kick()`), a few lanes each claiming due items one by one and sending them in parallel. A claim
 * inserts a lease document for the item's next attempt (src/db/outbox-store.ts), so two workers in any
 * processes never send the same attempt at once, on MongoDB or FerretDB. Delivery is at least once (a
 * worker can crash after sending), and receivers dedupe by the `x-liveclass-delivery` id. Never follows
 * redirects.
 */

export interface DeliveryWorkerOptions {
  outbox: OutboxStore;
  spaces: Pick<SpaceStore, 'get'>;
  logger: Logger;
  intervalMs?: number;
  timeoutMs?: number;
  /** How long a claim holds an item; longer than `timeoutMs` so a slow attempt keeps its claim. */
  leaseMs?: number;
  backoffMs?: readonly number[];
  maxAttempts?: number;
  /** Items sent in parallel (a slow receiver holds up one lane, not all). */
  concurrency?: number;
  /** Upper bound of items per lane and pass, so `stop()` is never kept waiting long. */
  maxPerPass?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export type DeliveryTuning = Pick<DeliveryWorkerOptions, 'intervalMs' | 'timeoutMs' | 'backoffMs' | 'maxAttempts'>;

export interface DeliveryWorker {
  /** Starts a pass now (or right after the running one). */
  kick(): void;
  /** One pass; returns how many attempts were made. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

interface AttemptResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
  /** No point retrying (the space no longer has webhooks). */
  final?: boolean;
}

export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const o: Required<DeliveryWorkerOptions> = {
    intervalMs: 1_000,
    timeoutMs: 5_000,
    leaseMs: 30_000,
    backoffMs: DEFAULT_BACKOFF_MS,
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    concurrency: 4,
    maxPerPass: 50,
    fetch: globalThis.fetch,
    now: () => new Date(),
    ...(withoutUndefined(options) as DeliveryWorkerOptions),
  };
  const log = o.logger.child({ module: 'webhooks' });

  const send = async (item: OutboxItem): Promise<AttemptResult> => {
    const space = await o.spaces.get(item.spaceRef);
    const url = space && webhookUrlFor(space.webhooks, item.type);
    if (!url || !space.webhookSecret) return { ok: false, final: true, error: 'the space has no webhooks any more' };
    const body = JSON.stringify(item.payload);
    const t = Math.floor(o.now().getTime() / 1000);
    try {
      const res = await boundedFetch(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'liveclass-webhooks/1',
            'x-liveclass-event': item.type,
            'x-liveclass-delivery': item.id,
            'x-liveclass-signature': signatureHeader(space.webhookSecret, body, t),
            // Lessonspace's names for the same facts, for receivers written against it (same values).
            'x-webhook-id': item.id,
            'x-webhook-event': item.type,
            'x-webhook-timestamp': item.payload.created_at,
          },
          body,
        },
        // The receiver's answer is not read: only its status counts.
        { timeoutMs: o.timeoutMs, maxBytes: 0, discardBody: true, fetch: o.fetch },
      );
      if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status };
      const error =
        res.status >= 300 && res.status < 400
          ? `redirect not followed (${res.status} to ${res.headers.get('location') ?? '?'})`
          : `HTTP ${res.status}`;
      return { ok: false, statusCode: res.status, error };
    } catch (err) {
      return { ok: false, error: transportError(err, o.timeoutMs) };
    }
  };

  const outcomeOf = (item: OutboxItem, result: AttemptResult, at: Date): AttemptOutcome => {
    const common = { lastStatusCode: result.statusCode, lastError: result.error };
    if (result.ok) return { ...common, status: 'delivered', nextAttemptAt: at, finishedAt: at };
    if (result.final || item.attempts >= o.maxAttempts) {
      return { ...common, status: 'failed', nextAttemptAt: at, finishedAt: at };
    }
    const next = new Date(at.getTime() + backoffDelayMs(item.attempts, o.backoffMs));
    return { ...common, status: 'pending', nextAttemptAt: next };
  };

  const attempt = async (item: OutboxItem, leaseId: string): Promise<void> => {
    const result = await send(item);
    const outcome = outcomeOf(item, result, o.now());
    const recorded = await o.outbox.complete(item.id, leaseId, outcome);
    const ctx = { eventId: item.id, type: item.type, attempt: item.attempts, statusCode: result.statusCode };
    if (!recorded) log.warn(ctx, 'webhook lease lost before the outcome was recorded');
    else if (outcome.status === 'delivered') log.debug(ctx, 'webhook delivered');
    else if (outcome.status === 'failed') log.warn({ ...ctx, error: result.error }, 'webhook delivery failed for good');
    else log.info({ ...ctx, error: result.error, nextAttemptAt: outcome.nextAttemptAt }, 'webhook delivery will retry');
  };

  // Claims run one at a time in this process (an optimisation: lanes do not race for one lease); sends do not.
  let claims: Promise<unknown> = Promise.resolve();
  const claim = (): Promise<{ item?: OutboxItem; leaseId: string }> => {
    const leaseId = randomBytes(12).toString('base64url');
    const next = claims.then(async () => {
      const now = o.now();
      return { item: await o.outbox.claimDue(now, new Date(now.getTime() + o.leaseMs), leaseId), leaseId };
    });
    claims = next.catch(() => undefined);
    return next;
  };

  let stopped = false;
  const lane = async (): Promise<number> => {
    let count = 0;
    while (!stopped && count < o.maxPerPass) {
      const { item, leaseId } = await claim();
      if (!item) break;
      count += 1;
      await attempt(item, leaseId);
    }
    return count;
  };
  const runOnce = async (): Promise<number> => {
    const counts = await Promise.all(Array.from({ length: o.concurrency }, lane));
    return counts.reduce((a, b) => a + b, 0);
  };

  let running: Promise<unknown> | undefined;
  let again = false;
  const kick = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((err: unknown) => log.warn({ err }, 'webhook pass failed; will retry'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  const timer = setInterval(kick, o.intervalMs);
  timer.unref();

  return {
    kick,
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      // An attempt in flight finishes (at most timeoutMs) so its outcome is recorded.
      while (running) await running;
    },
  };
}

function transportError(err: unknown, timeoutMs: number): string {
  if (err instanceof BoundedFetchError && err.reason === 'timeout') return `timed out after ${timeoutMs} ms`;
  const e = (err instanceof BoundedFetchError ? err.cause : err) as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? 'request failed';
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
