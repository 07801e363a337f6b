/**
 * An in-process cache of store reads, for records that change rarely, with a short bound on how stale an
 * entry may be. Each store that uses one says in a comment why that staleness is acceptable there.
 *
 * - Only found records are kept: a record created on another instance is seen at once.
 * - `clear()` and `delete()` (the caller's own writes) also stop reads already in flight from filling the
 *   cache with what they read before the write, so after a local write the next read sees it.
 * - At most `maxEntries`; the oldest go first.
 */
export interface ReadCache<V> {
  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined>;
  /** The entry, if it is there and fresh; never reads the store. */
  peek(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  clear(): void;
}

export interface ReadCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

export function createReadCache<V>(options: ReadCacheOptions): ReadCache<V> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: V; at: number }>();
  let generation = 0;

  const set = (key: string, value: V): void => {
    entries.delete(key);
    if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(key, { value, at: now() });
  };

  return {
    async get(key, load) {
      const hit = entries.get(key);
      if (hit && now() - hit.at < options.ttlMs) return hit.value;
      const started = generation;
      const value = await load();
      if (value === undefined) entries.delete(key);
      else if (started === generation) set(key, value);
      return value;
    },
    peek(key) {
      const hit = entries.get(key);
      return hit && now() - hit.at < options.ttlMs ? hit.value : undefined;
    },
    set,
    delete(key) {
      generation += 1;
      entries.delete(key);
    },
    clear() {
      generation += 1;
      entries.clear();
    },
  };
}
