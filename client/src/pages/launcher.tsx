import { useEffect, useMemo, useState } from 'preact/hooks';
import type { MeResponse } from '../api/contract';
import { ApiClient, ApiError, isApiError } from '../api/client';
import { useDocumentTitle } from '../components/use-document-title';
import { DeepLinkingPage } from './deep-linking-page';
import { PreJoinPage } from './pre-join-page';
import { SessionEndedPage } from './session-ended-page';

type Load = { state: 'loading' } | { state: 'loaded'; me: MeResponse } | { state: 'failed'; error: ApiError };

/** /launch: where /lti/launch sends the browser with `#token=...`. Picks the page for the launch's message. */
export function Launcher({ token }: { token: string | undefined }) {
  const [ended, setEnded] = useState(!token);
  const api = useMemo(() => (token ? new ApiClient(token, () => setEnded(true)) : undefined), [token]);
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  useEffect(() => {
    if (!api) return;
    const abort = new AbortController();
    api.me(abort.signal).then(
      (me) => setLoad({ state: 'loaded', me }),
      (err: unknown) => {
        if (abort.signal.aborted) return;
        setLoad({
          state: 'failed',
          error: isApiError(err) ? err : new ApiError(0, 'UNKNOWN', 'Something went wrong.'),
        });
      },
    );
    return () => abort.abort();
  }, [api]);

  if (ended || !api) return <SessionEndedPage />;
  if (load.state === 'loading') return <LoadingPage />;
  if (load.state === 'failed') return <FailedPage error={load.error} />;
  if (load.me.messageType === 'LtiDeepLinkingRequest') return <DeepLinkingPage api={api} me={load.me} />;
  return <PreJoinPage me={load.me} api={api} launchToken={token} />;
}

function LoadingPage() {
  useDocumentTitle('Opening');
  return (
    <main aria-busy="true">
      <p role="status">Opening the live class…</p>
    </main>
  );
}

function FailedPage({ error }: { error: ApiError }) {
  useDocumentTitle('Could not open');
  return (
    <main>
      <h1>The live class could not be opened</h1>
      <div role="alert">
        <p>{error.message}</p>
        <p class="hint">
          Error code: <code>{error.code}</code>. Try opening the activity again from your course; if it keeps happening,
          tell your course administrator this code.
        </p>
      </div>
    </main>
  );
}
