/**
 * An in-process cache of store reads, for records that change rarely, with a short bound on how stale an
 * entry may be. Each store that uses one says in a comment why that staleness is acceptable there.
 *
 * - Only found records are kept: a record created on another instance is seen at once.
 * - `clear()` and `delete()` (the caller's own writes) also stop reads already in flight from filling the
 *   cache with what they read before the write, so after a local write the next read sees it.
 * - Requests that miss the same key at once share one read.
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
  /** One store read per key at a time: requests that miss together (an entry just expired) share it. */
  const loading = new Map<string, Promise<V | undefined>>();
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
      const inFlight = loading.get(key);
      if (inFlight) return inFlight;
      const started = generation;
      const read = load().then((value) => {
        if (value === undefined) entries.delete(key);
        else if (started === generation) set(key, value);
        return value;
      });
      loading.set(key, read);
      const done = () => {
        if (loading.get(key) === read) loading.delete(key);
      };
      read.then(done, done);
      return read;
    },
    peek(key) {
      const hit = entries.get(key);
      return hit && now() - hit.at < options.ttlMs ? hit.value : undefined;
    },
    set,
    delete(key) {
      generation += 1;
      entries.delete(key);
      loading.delete(key);
    },
    clear() {
      generation += 1;
      entries.clear();
      loading.clear();
    },
  };
}
