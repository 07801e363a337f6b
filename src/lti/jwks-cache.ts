import { importJWK, type CryptoKey } from 'jose';
import { AppError } from '../errors.js';
import { boundedFetch } from '../net/bounded-fetch.js';

export interface JwksCacheOptions {
  /** How long a fetched key set is trusted before it is fetched again. */
  ttlMs: number;
  /** An unknown kid triggers a refetch, but not more often than this per URL (kid-guessing cannot flood the LMS). */
  minRefreshIntervalMs: number;
  fetchTimeoutMs: number;
  /** Largest key set accepted, in bytes. */
  maxBytes?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** A platform's public signing key, ready for `jose` verification. */
export type PlatformKey = CryptoKey;

export const JWKS_MAX_BYTES = 256 * 1024;

interface Entry {
  keys: Map<string, PlatformKey>;
  fetchedAt: number;
  pending?: Promise<Entry>;
}

export interface JwksCache {
  /** The platform key with this kid, refreshing the set once if the kid is unknown; undefined if still unknown. */
  getKey(jwksUrl: string, kid: string): Promise<PlatformKey | undefined>;
  /** Number of HTTP fetches so far (observability and tests). */
  fetchCount(): number;
}

/** ltijs fetches the platform JWKS on every launch; we cache it per URL and refresh on an unknown kid. */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let fetches = 0;

  const load = async (url: string): Promise<Entry> => {
    fetches += 1;
    let body: unknown;
    try {
      const res = await boundedFetch(
        url,
        { headers: { accept: 'application/json' } },
        { timeoutMs: options.fetchTimeoutMs, maxBytes: options.maxBytes ?? JWKS_MAX_BYTES, fetch: options.fetch },
      );
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = JSON.parse(res.text);
    } catch (cause) {
      throw new AppError('LTI_PLATFORM_JWKS_UNAVAILABLE', { cause, details: { jwksUrl: url } });
    }
    const keys = new Map<string, PlatformKey>();
    const list = (body as { keys?: unknown })?.keys;
    for (const jwk of Array.isArray(list) ? (list as unknown[]) : []) {
      const entry = await rsaPublicKey(jwk);
      if (entry) keys.set(entry.kid, entry.key);
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

/** An RSA public key with a kid, imported for RS256 (only its public members are read); else undefined. */
async function rsaPublicKey(jwk: unknown): Promise<{ kid: string; key: PlatformKey } | undefined> {
  const { kty, kid, n, e } = (jwk ?? {}) as Record<string, unknown>;
  if (kty !== 'RSA' || typeof kid !== 'string' || typeof n !== 'string' || typeof e !== 'string') return undefined;
  try {
    const key = await importJWK({ kty, n, e }, 'RS256');
    return key instanceof Uint8Array ? undefined : { kid, key };
  } catch {
    return undefined;
  }
}
