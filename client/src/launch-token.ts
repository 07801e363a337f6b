import type { ReloadExchangeResponse, ReloadTokenResponse } from './api/contract';

/**
 * Takes the Bearer token from `#token=...` (where /lti/launch put it) and drops the fragment from the
 * address bar and the history entry at once, so it is never bookmarked, shared or restored. The caller keeps
 * it in memory only: storage may be blocked in an LMS iframe, and a reload must not reuse it.
 */
export function takeLaunchToken(): string | undefined {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? undefined;
  if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  return token || undefined;
}

/**
 * A reload of the LMS frame keeps the launch: the frame's sessionStorage (which survives a reload of this
 * frame, but is not shared with another tab) holds a reload token — single-use, minutes long, never the
 * bearer token — that the page trades after the reload for a bearer token of the same launch.
 */
const RELOAD_KEY = 'liveclass.reload';
/** Ask for the next reload token this long before the current one expires (they last 5 minutes). */
const RENEW_BEFORE_MS = 90_000;
const MIN_RENEW_MS = 15_000;

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    // Blocked (a strict third-party storage setting): a reload then asks for a new launch, as before.
    return undefined;
  }
}

/** After a reload: the stored reload token, traded once for a bearer token (undefined if there is none). */
export async function takeReloadToken(): Promise<string | undefined> {
  const store = storage();
  const reloadToken = store?.getItem(RELOAD_KEY) ?? undefined;
  if (!reloadToken) return undefined;
  // Single use either way: never offered twice.
  store?.removeItem(RELOAD_KEY);
  try {
    const res = await fetch('/api/session/reload', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ reloadToken }),
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!res.ok) return undefined;
    return ((await res.json()) as ReloadExchangeResponse).token || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a fresh reload token in this frame's sessionStorage for the launch `bearer` while the page is open;
 * answers a function that stops (and forgets the token).
 */
export function keepReloadToken(bearer: string): () => void {
  const store = storage();
  if (!store) return () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const renew = async (): Promise<void> => {
    let next = MIN_RENEW_MS;
    try {
      const res = await fetch('/api/session/reload-token', {
        method: 'POST',
        headers: { accept: 'application/json', authorization: `Bearer ${bearer}` },
        credentials: 'omit',
        cache: 'no-store',
      });
      // 401: the launch is over; the launcher says so, and a reload must not bring it back.
      if (res.status === 401) return store.removeItem(RELOAD_KEY);
      if (res.ok) {
        const { reloadToken, expiresAt } = (await res.json()) as ReloadTokenResponse;
        if (stopped) return;
        store.setItem(RELOAD_KEY, reloadToken);
        next = Math.max(MIN_RENEW_MS, Date.parse(expiresAt) - Date.now() - RENEW_BEFORE_MS);
      }
    } catch {
      // The tool is not answering: try again soon; the stored token may still be valid meanwhile.
    }
    if (!stopped) timer = setTimeout(() => void renew(), next);
  };
  void renew();
  return () => {
    stopped = true;
    clearTimeout(timer);
    store.removeItem(RELOAD_KEY);
  };
}
