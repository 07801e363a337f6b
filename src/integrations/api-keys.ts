import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';

/** An integrator's credential, as listed to the operator: never the key itself. */
export interface ApiKey {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

export interface ApiKeyStore {
  create(record: ApiKey & { keyHash: string }): Promise<ApiKey>;
  list(): Promise<ApiKey[]>;
  get(id: string): Promise<ApiKey | undefined>;
  /** Sets revokedAt once; false when no key has this id. */
  revoke(id: string, at: Date): Promise<boolean>;
  /** The active (not revoked) key with this hash. */
  findActiveByHash(keyHash: string): Promise<ApiKey | undefined>;
  /** Records use, at most once a minute per key (a write per request would be wasteful). */
  touch(id: string, at: Date): Promise<void>;
}

export const API_KEY_PREFIX = 'lck_';
const KEY_SHAPE = /^lck_[A-Za-z0-9_-]{43}$/;

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * Keys are 256 random bits, so a plain SHA-256 is enough to store them (no salt or slow hash needed);
 * lookups go to the store on every request, so a revocation takes effect on every instance at once.
 * `onRevoked` reaches what the key opened before: its live rooms (launch sessions check the key themselves).
 */
export function createApiKeyService(deps: {
  store: ApiKeyStore;
  now?: () => Date;
  onRevoked?: (apiKeyId: string) => Promise<void>;
}) {
  const now = deps.now ?? (() => new Date());
  return {
    /** The only time the key is returned. */
    async create(name: string): Promise<ApiKey & { key: string }> {
      const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const record = await deps.store.create({
        id: `key_${randomBytes(12).toString('base64url')}`,
        name,
        createdAt: now(),
        keyHash: hashApiKey(key),
      });
      return { ...record, key };
    },
    list: () => deps.store.list(),
    /** Revoking again is harmless and empties the key's rooms again (a retry after the SFU failed). */
    async revoke(id: string): Promise<void> {
      if (!(await deps.store.revoke(id, now()))) throw new AppError('API_KEY_NOT_FOUND');
      await deps.onRevoked?.(id);
    },
    /** The key's record, or API_KEY_INVALID for a missing, malformed, unknown or revoked key. */
    async authenticate(key: string | undefined): Promise<ApiKey> {
      const found = key && KEY_SHAPE.test(key) ? await deps.store.findActiveByHash(hashApiKey(key)) : undefined;
      if (!found) throw new AppError('API_KEY_INVALID');
      void deps.store.touch(found.id, now()).catch(() => undefined);
      return found;
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
