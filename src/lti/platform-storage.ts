import { z } from 'zod';
import type { ErrorCode } from '../errors.js';

/**
 * LTI Client Side postMessages + Platform Storage (1EdTech): where the browser blocks third-party cookies, the
 * tool keeps its OIDC state and nonce in the platform's window (lti.put_data at the login, lti.get_data at the
 * launch) instead of a cookie. Plain data and pure checks here; the pages and the script are in src/http/.
 */

/** Where the tool's frame talks to the platform: the named frame of its parent, and that frame's origin. */
export interface StorageOffer {
  /** `lti_storage_target` from the login: a frame name in the parent window, or `_parent`. */
  target: string;
  /** The only origin messages go to and are accepted from: the platform's OIDC authorization endpoint. */
  origin: string;
}

/** What the launch page read back from platform storage; absent values mean the platform did not answer. */
export interface StoredValues {
  state?: string;
  nonce?: string;
}

/** How long the page waits for each platform answer before taking the new-window way out. */
export const STORAGE_TIMEOUT_MS = 2000;

/** The keys a login's values are kept under: per state, so two launches in one course page never collide. */
export const storageKeys = (state: string): { state: string; nonce: string } => ({
  state: `lti_state_${state}`,
  nonce: `lti_nonce_${state}`,
});

/**
 * The offer a login makes, or none. The spec names the OIDC authorization endpoint's origin as the only
 * origin the tool talks to; a platform whose storage frame lives elsewhere is not trusted with the state.
 */
export function storageOffer(target: string | undefined, authLoginUrl: string): StorageOffer | undefined {
  if (target === undefined || target === '') return undefined;
  try {
    const { protocol, origin } = new URL(authLoginUrl);
    return protocol === 'https:' || protocol === 'http:' ? { target, origin } : undefined;
  } catch {
    return undefined;
  }
}

/** A value we wrote: one of our 32-byte tokens, never longer, never a NUL (the store cannot keep one). */
const stored = z
  .string()
  .min(1)
  .max(200)
  .refine((v) => !v.includes('\u0000'));

/** The form the launch page posts to /lti/launch/storage (id_token and state are checked by the launch steps). */
export const storageLaunchSchema = z.object({
  id_token: z.string().max(65536).optional(),
  state: z.string().max(2048).optional(),
  lti_storage_state: stored.optional(),
  lti_storage_nonce: stored.optional(),
  /** Why the page could not read the values (timeout, the platform's error code): logged, never trusted. */
  lti_storage_error: z.string().max(100).optional(),
});

/**
 * Ties a launch to the browser that started its login, as the state cookie does: the values must have been
 * offered by that login, read back from the platform for our origin, and be exactly its state and nonce.
 */
export function storageBindingError(
  login: { state: string; nonce: string; storage?: StorageOffer },
  values: StoredValues,
): ErrorCode | undefined {
  if (!login.storage) return 'LTI_STORAGE_NOT_OFFERED';
  if (values.state === undefined || values.nonce === undefined) return 'LTI_STORAGE_UNAVAILABLE';
  if (values.state !== login.state) return 'LTI_STORAGE_STATE_MISMATCH';
  if (values.nonce !== login.nonce) return 'LTI_STORAGE_NONCE_MISMATCH';
  return undefined;
}
