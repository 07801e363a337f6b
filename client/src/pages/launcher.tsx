import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { MeResponse } from '../api/contract';
import { ApiClient, ApiError, isApiError } from '../api/client';
import { applyBranding } from '../branding';
import { useDocumentTitle } from '../components/use-document-title';
import { withParts } from '../components/with-parts';
import { setLocale, t } from '../i18n';
import { pickLocale } from '../time';
import { DeepLinkingPage } from './deep-linking-page';
import { NotSetUpPage } from './not-set-up-page';
import { PreJoinPage } from './pre-join-page';
import { SessionEndedPage } from './session-ended-page';

type Load = { state: 'loading' } | { state: 'loaded'; me: MeResponse } | { state: 'failed'; error: ApiError };

/**
 * The launch's language (LTI launch_presentation.locale), else the browser's; a tag Intl rejects (an LMS
 * sending 'en_US' is fixed up by pickLocale, nonsense is not) falls back too, and a failed catalog load
 * leaves English rather than no page.
 */
async function switchToLaunchLocale(me: MeResponse): Promise<void> {
  await setLocale(pickLocale(me.locale) ?? navigator.language).catch(() => setLocale('en'));
}

/** /launch: where /lti/launch sends the browser with `#token=...`. Picks the page for the launch's message. */
export function Launcher({ token }: { token: string | undefined }) {
  // Why the session ended (the 401's code), or '' without a token; undefined while it lasts.
  const [ended, setEnded] = useState<string | undefined>(token ? undefined : '');
  const api = useMemo(() => (token ? new ApiClient(token, (err) => setEnded(err.code)) : undefined), [token]);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const onReady = useCallback((me: MeResponse) => setLoad({ state: 'loaded', me }), []);

  useEffect(() => {
    if (!api) return;
    const abort = new AbortController();
    api.me(abort.signal).then(
      async (me) => {
        applyBranding(me.branding);
        // Every string of the page comes from the launch's catalog: switch before rendering it.
        await switchToLaunchLocale(me);
        if (!abort.signal.aborted) setLoad({ state: 'loaded', me });
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        setLoad({
          state: 'failed',
          error: isApiError(err) ? err : new ApiError(0, 'UNKNOWN', t('common.somethingWrong')),
        });
      },
    );
    return () => abort.abort();
  }, [api]);

  if (ended !== undefined || !api) return <SessionEndedPage revoked={ended === 'SESSION_REVOKED'} />;
  if (load.state === 'loading') return <LoadingPage />;
  if (load.state === 'failed') return <FailedPage error={load.error} />;
  if (load.me.messageType === 'LtiDeepLinkingRequest') return <DeepLinkingPage api={api} me={load.me} />;
  if (load.me.activityPending) return <NotSetUpPage api={api} onReady={onReady} />;
  return <PreJoinPage me={load.me} api={api} launchToken={token} />;
}

function LoadingPage() {
  useDocumentTitle(t('launcher.loadingTitle'));
  return (
    <main aria-busy="true">
      <p role="status">{t('launcher.loading')}</p>
    </main>
  );
}

function FailedPage({ error }: { error: ApiError }) {
  useDocumentTitle(t('launcher.failedTitle'));
  return (
    <main>
      <h1>{t('launcher.failedHeading')}</h1>
      <div role="alert">
        <p>{error.message}</p>
        <p class="hint">{withParts(t('launcher.failedHint'), { code: <code>{error.code}</code> })}</p>
      </div>
    </main>
  );
}
