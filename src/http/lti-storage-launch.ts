import { AppError } from '../errors.js';
import type { LaunchStore } from '../lti/launch-store.js';
import type { LaunchRequest } from '../lti/launch/validate-launch.js';
import { storageLaunchSchema, type StorageOffer } from '../lti/platform-storage.js';

/**
 * The storage offer of a launch that came back without its cookie, if its login was made with one: then the
 * launch answers with the page that reads platform storage instead of refusing. Looked up, not consumed: the
 * state is consumed once, by POST /lti/launch/storage, through the same launch steps as the cookie path.
 */
export async function pendingStorageOffer(store: LaunchStore, state: unknown): Promise<StorageOffer | undefined> {
  // The same bounds consumeState applies: not one of ours otherwise, and a NUL cannot reach the store.
  if (typeof state !== 'string' || state === '' || state.length > 200 || state.includes('\u0000')) return undefined;
  return (await store.findLogin(state))?.storage;
}

/** POST /lti/launch/storage as a launch request: refused with LTI_STORAGE_INVALID when a field is malformed. */
export function storageLaunchRequest(body: unknown): LaunchRequest {
  // The page posts every field, empty when it has no value.
  const fields = Object.fromEntries(
    Object.entries(body && typeof body === 'object' ? body : {}).filter(([, v]) => v !== ''),
  );
  const parsed = storageLaunchSchema.safeParse(fields);
  if (!parsed.success) {
    throw new AppError('LTI_STORAGE_INVALID', {
      details: { fields: parsed.error.issues.map((i) => i.path.join('.')) },
    });
  }
  const f = parsed.data;
  return {
    idToken: f.id_token,
    state: f.state,
    hasStateCookie: () => false,
    storage: { state: f.lti_storage_state, nonce: f.lti_storage_nonce },
  };
}
