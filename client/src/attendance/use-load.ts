import { useEffect, useState } from 'preact/hooks';
import { isApiError } from '../api/client';
import { t } from '../i18n';

export type Loaded<T> =
  { state: 'loading'; data?: T } | { state: 'loaded'; data: T } | { state: 'failed'; data?: T; message: string };

/**
 * Loads `fetcher` when `key` changes and again on `reload()`; an answer for an older key or an unmounted
 * view is dropped. The last data stays while reloading, so a table does not blink on a refresh.
 */
export function useLoad<T>(fetcher: (signal: AbortSignal) => Promise<T>, key: string) {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setLoaded((l) => ({ state: 'loading', ...(l.data !== undefined ? { data: l.data } : {}) }));
    fetcher(abort.signal).then(
      (data) => !abort.signal.aborted && setLoaded({ state: 'loaded', data }),
      (err: unknown) => {
        if (abort.signal.aborted) return;
        const message = isApiError(err) ? err.message : t('common.somethingWrong');
        setLoaded((l) => ({ state: 'failed', message, ...(l.data !== undefined ? { data: l.data } : {}) }));
      },
    );
    return () => abort.abort();
  }, [key, round]);
  return { loaded, reload: () => setRound((r) => r + 1) };
}

/** Loads again `ms` after each answer while `active` (say, while a record is still being completed). */
export function usePoll<T>(active: boolean, loaded: Loaded<T>, reload: () => void, ms: number): void {
  useEffect(() => {
    if (!active || loaded.state !== 'loaded') return;
    const timer = setTimeout(reload, ms);
    return () => clearTimeout(timer);
  }, [active, loaded]);
}
