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
