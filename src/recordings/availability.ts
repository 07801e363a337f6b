import { AppError } from '../errors.js';
import type { RecorderGateway } from '../livekit/recorder.js';
import type { Availability } from './recordings.js';

export interface AvailabilityDeps {
  /** Config `recordings.enabled`: Egress is part of this deployment. */
  enabled: boolean;
  recorder?: Pick<RecorderGateway, 'list'>;
  /** Egress's health port; without it the SFU is asked for Egress's list (it fails where the SFU has no Egress). */
  healthUrl?: string;
  timeoutMs: number;
  /** An answer is reused this long: /api/me and the room status ask on every load. */
  cacheMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Egress's job ids start so (its status has other keys beside them, e.g. CpuLoad). */
const EGRESS_ID_PREFIX = 'EG_';

/** A room name no class has: the SFU answers its (empty) Egress list without touching a room. */
const PROBE_ROOM = 'liveclass-recorder-probe';

/**
 * Whether a recording could start now: 'off' where the deployment has no Egress, 'unreachable' while
 * Egress does not answer. Cached briefly, and asked by one caller at a time.
 */
export function createAvailability(deps: AvailabilityDeps) {
  const cacheMs = deps.cacheMs ?? 5_000;
  const now = deps.now ?? Date.now;
  const fetchFn = deps.fetch ?? fetch;
  let cached: { at: number; value: Availability } | undefined;
  let asking: Promise<Availability> | undefined;

  const probe = async (): Promise<Availability> => {
    try {
      if (deps.healthUrl) {
        const res = await fetchFn(deps.healthUrl, { signal: AbortSignal.timeout(deps.timeoutMs) });
        await res.body?.cancel();
        if (!res.ok) return { available: false, reason: 'unreachable' };
      } else {
        await deps.recorder?.list(PROBE_ROOM);
      }
      return { available: true };
    } catch {
      return { available: false, reason: 'unreachable' };
    }
  };

  const current = async (): Promise<Availability> => {
    if (!deps.enabled || !deps.recorder) return { available: false, reason: 'off' };
    if (cached && now() - cached.at < cacheMs) return cached.value;
    asking ??= probe().then((value) => {
      cached = { at: now(), value };
      asking = undefined;
      return value;
    });
    return asking;
  };

  return {
    current,
    /**
     * The jobs Egress runs now: its health port answers its status with each running job's Egress id as a
     * key. Undefined without a health port (the SFU's list is all there is); throws while Egress does not
     * answer. One Egress per health port: where several share the work, each job shows on one of them only.
     */
    async running(): Promise<ReadonlySet<string> | undefined> {
      if (!deps.enabled || !deps.healthUrl) return undefined;
      const res = await fetchFn(deps.healthUrl, { signal: AbortSignal.timeout(deps.timeoutMs) });
      if (!res.ok) {
        await res.body?.cancel();
        throw new AppError('RECORDING_UNAVAILABLE');
      }
      const status = (await res.json()) as unknown;
      const keys = status && typeof status === 'object' ? Object.keys(status) : [];
      return new Set(keys.filter((key) => key.startsWith(EGRESS_ID_PREFIX)));
    },
    /** Forgets the cached answer (a start that failed tells more than the last probe). */
    forget(): void {
      cached = undefined;
    },
    /** /readyz: reported, not required (the tool serves classes without recording). */
    async check(): Promise<void> {
      cached = undefined;
      const a = await current();
      if (!a.available) throw new AppError(a.reason === 'off' ? 'RECORDING_OFF' : 'RECORDING_UNAVAILABLE');
    },
  };
}

export type RecordingAvailability = ReturnType<typeof createAvailability>;
