import type { JsonWebKey, KeyObject } from 'node:crypto';
import { AppError } from '../errors.js';
import { publicKeyFromJwk } from './jwt.js';

export interface JwksCacheOptions {
  /** How long a fetched key set is trusted before it is fetched again. */
  ttlMs: number;
  /** An unknown kid triggers a refetch, but not more often than this per URL (kid-guessing cannot flood the LMS). */
  minRefreshIntervalMs: number;
  fetchTimeoutMs: number;
  fetch?: typeof fetch;
  now?: () => number;
}

interface Entry {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
  pending?: Promise<Entry>;
}

export interface JwksCache {
  /** The platform key with this kid, refreshing the set once if the kid is unknown; undefined if still unknown. */
  getKey(jwksUrl: string, kid: string): Promise<KeyObject | undefined>;
  /** Number of HTTP fetches so far (observability and tests). */
  fetchCount(): number;
}

/** ltijs fetches the platform JWKS on every launch; we cache it per URL and refresh on an unknown kid. */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let fetches = 0;

  const load = async (url: string): Promise<Entry> => {
    fetches += 1;
    let body: unknown;
    try {
      const res = await doFetch(url, {
        signal: AbortSignal.timeout(options.fetchTimeoutMs),
        headers: { accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = await res.json();
    } catch (cause) {
      throw new AppError('LTI_PLATFORM_JWKS_UNAVAILABLE', { cause, details: { jwksUrl: url } });
    }
    const keys = new Map<string, KeyObject>();
    const list = (body as { keys?: unknown })?.keys;
    for (const jwk of Array.isArray(list) ? list : []) {
      const kid = (jwk as { kid?: unknown }).kid;
      const key = typeof kid === 'string' ? publicKeyFromJwk(jwk as JsonWebKey) : undefined;
      if (key && typeof kid === 'string') keys.set(kid, key);
    }
    return { keys, fetchedAt: now() };
  };

  /** One fetch per URL at a time; concurrent launches share it. A failed fetch leaves the old keys. */
  const refresh = (url: string): Promise<Entry> => {
    const current = entries.get(url);
    if (current?.pending) return current.pending;
    const pending = load(url).then(
      (entry) => {
        entries.set(url, entry);
        return entry;
      },
      (err: unknown) => {
        const entry = entries.get(url);
        if (entry?.fetchedAt === 0) entries.delete(url);
        else if (entry) delete entry.pending;
        throw err;
      },
    );
    entries.set(url, { keys: current?.keys ?? new Map(), fetchedAt: current?.fetchedAt ?? 0, pending });
    return pending;
  };

  return {
    async getKey(url, kid) {
      let entry = entries.get(url);
      if (!entry || entry.pending || now() - entry.fetchedAt > options.ttlMs) entry = await refresh(url);
      const key = entry.keys.get(kid);
      if (key) return key;
      if (now() - entry.fetchedAt < options.minRefreshIntervalMs) return undefined;
      return (await refresh(url)).keys.get(kid);
    },
    fetchCount: () => fetches,
  };
}
