import { AppError } from '../errors.js';

/** Slot documents with a unique key: inserting one is the atomic step the quota rests on. */
export interface ActivityQuotaStore {
  /** How many slots of this launch are taken (a hint where to start; the unique insert decides). */
  count(launchId: string): Promise<number>;
  /** Inserts slot `n` of the launch; false when it exists (another request, maybe another process, took it). */
  claim(launchId: string, n: number, expiresAt: Date): Promise<boolean>;
}

export interface ActivityQuota {
  /** Takes one of the launch's activity slots, or refuses with LTI_DEEP_LINKING_LIMIT. */
  take(launch: { id: string; expiresAt: Date }): Promise<void>;
}

/**
 * At most `max` activities per deep linking launch (config `limits.activitiesPerDeepLinkingLaunch`): enough for
 * a teacher who goes back and changes the settings, not for a script replaying one launch's token. Slots
 * `launchId:0 .. max-1` are inserted, never counted up, so the bound holds across tool processes.
 */
export function createActivityQuota(store: ActivityQuotaStore, max: number): ActivityQuota {
  return {
    async take(launch) {
      for (let n = await store.count(launch.id); n < max; n += 1) {
        if (await store.claim(launch.id, n, launch.expiresAt)) return;
      }
      throw new AppError('LTI_DEEP_LINKING_LIMIT', { details: { max } });
    },
  };
}
