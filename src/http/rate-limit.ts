/**
 * A fixed-window counter per key, in process memory. Enough to stop one client from hammering an
 * expensive unauthenticated endpoint; not a shared quota across tool instances.
 */
export function createRateLimiter(options: { windowMs: number; max: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** True when this call is allowed. */
    take(key: string): boolean {
      const t = now();
      if (windows.size > 10_000) for (const [k, w] of windows) if (t - w.start >= options.windowMs) windows.delete(k);
      const w = windows.get(key);
      if (!w || t - w.start >= options.windowMs) {
        windows.set(key, { start: t, count: 1 });
        return true;
      }
      w.count += 1;
      return w.count <= options.max;
    },
  };
}
