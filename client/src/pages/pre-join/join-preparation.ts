import type { ApiClient } from '../../api/client';
import type { JoinGrant } from '../../api/room-types';
import type * as RoomChunkModule from '../../room/room-app';

/** The room UI and livekit-client: a chunk of its own, loaded while the pre-join page is open. */
export type RoomChunk = typeof RoomChunkModule;
let roomChunk: Promise<RoomChunk> | undefined;
/** Starts (or joins) the room chunk's download and parse; a failed load is tried again on the next call. */
export const loadRoomChunk = (): Promise<RoomChunk> => {
  const loading = (roomChunk ??= import('../../room/room-app'));
  loading.catch(() => {
    if (roomChunk === loading) roomChunk = undefined;
  });
  return loading;
};

/** An early grant is used on Join only this soon after the server issued it; older, Join asks again. */
export const FRESH_FOR_MS = 30_000;
/** And only with this much of the token's life left (the room renews it a minute before it expires). */
const MIN_TOKEN_LIFE_MS = 120_000;
/** While the page stays open and visible, a new early grant this often (just before the last goes stale). */
export const REFRESH_EVERY_MS = 25_000;
/** Refreshing stops after this long on the page; Join then asks on the click, as without preparation. */
const REFRESH_FOR_MS = 10 * 60_000;

export interface PreparedGrant {
  grant: JoinGrant;
  /** When the answer arrived (Date.now()). */
  at: number;
}

/** The early grant, if Join may still use it at `now`: recent enough, and with enough of its token left. */
export function usableGrant(prepared: PreparedGrant | undefined, now: number): JoinGrant | undefined {
  if (!prepared) return undefined;
  if (now - prepared.at > FRESH_FOR_MS || now < prepared.at) return undefined;
  const expiresAt = Date.parse(prepared.grant.expiresAt);
  if (!(expiresAt - now >= MIN_TOKEN_LIFE_MS)) return undefined;
  return prepared.grant;
}

/**
 * Readies Join while the pre-join page is open: the room chunk, an early join grant from the server (only
 * where asking for it changes nothing there: POST /api/room/token/prepare, else none), and a warm way to
 * the SFU. The grant is fresh for FRESH_FOR_MS and used once; the server is asked again on the click when
 * it is stale or missing, so its refusals (locked, full, not open yet, waiting room) show as without it.
 */
export class JoinPreparation {
  private prepared: PreparedGrant | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Counts start() calls: an answer that arrives after stop() or a later start() is dropped. */
  private run = 0;
  private running = false;
  private until = 0;

  constructor(
    private readonly api: Pick<ApiClient, 'prepareRoomToken'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** On the pre-join page (again): load the chunk, ask for an early grant now and then every REFRESH_EVERY_MS. */
  start(): void {
    this.stop();
    this.running = true;
    this.until = this.now() + REFRESH_FOR_MS;
    void loadRoomChunk().catch(() => undefined);
    void this.refresh(++this.run);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** The early grant if it is still usable; either way it is gone afterwards (a grant is used once). */
  take(): JoinGrant | undefined {
    const grant = usableGrant(this.prepared, this.now());
    this.prepared = undefined;
    return grant;
  }

  private async refresh(run: number): Promise<void> {
    const current = () => this.running && run === this.run;
    if (!current()) return;
    if (document.visibilityState !== 'hidden') {
      // Errors are Join's to report: it asks again on the click.
      const grant = await this.api.prepareRoomToken().catch(() => undefined);
      if (!current()) return;
      this.prepared = grant ? { grant, at: this.now() } : undefined;
      if (grant)
        void loadRoomChunk().then(
          (chunk) => chunk.prepareConnection(grant.url, grant.token),
          () => undefined,
        );
    }
    if (this.now() < this.until) this.timer = setTimeout(() => void this.refresh(run), REFRESH_EVERY_MS);
  }
}
