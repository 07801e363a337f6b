import type { Logger } from '../log.js';

export interface Poller {
  start(): void;
  /** Runs a pass after `ms` (now by default) instead of waiting for the next poll. */
  kick(ms?: number): void;
  /** No pass starts after this; resolves when the one running has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `pollMs` (from the end of one pass to the start of the next) until stopped; a kick
 * brings the next pass forward. A failed pass is logged and the polling goes on. The timer never keeps the
 * process alive.
 */
export function createPoller(
  pass: () => Promise<unknown>,
  options: { pollMs: number; log: Logger; what: string },
): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      // Two passes never overlap: a kick that comes due during one is served by it, or by the next poll.
      if (running) return;
      running = pass()
        .catch((err: unknown) => options.log.warn({ err }, `${options.what} pass failed`))
        .finally(() => {
          running = undefined;
          if (timer === undefined) schedule(options.pollMs);
        });
    }, ms);
    timer.unref();
  };

  return {
    start() {
      stopped = false;
      schedule(0);
    },
    kick(ms = 0) {
      schedule(ms);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
