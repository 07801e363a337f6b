import { useEffect } from 'preact/hooks';
import type { MeResponse } from '../api/contract';
import type { ApiClient } from '../api/client';
import { useDocumentTitle } from '../components/use-document-title';
import { t } from '../i18n';

/** How often a learner's page asks whether the teacher has opened the class yet. */
const RECHECK_MS = 10_000;

/**
 * A link nobody set up (a plain External tool activity, a copied course): its class exists once a teacher
 * has opened it. The learner's page checks again by itself and opens the class when it is there.
 */
export function NotSetUpPage({ api, onReady }: { api: ApiClient; onReady: (me: MeResponse) => void }) {
  useDocumentTitle(t('notSetUp.title'));
  useEffect(() => {
    const abort = new AbortController();
    const timer = setInterval(() => {
      api.me(abort.signal).then(
        (me) => {
          if (!abort.signal.aborted && !me.activityPending) onReady(me);
        },
        () => undefined, // A failed check is retried at the next tick; the page already says what to do.
      );
    }, RECHECK_MS);
    return () => {
      clearInterval(timer);
      abort.abort();
    };
  }, [api, onReady]);
  return (
    <main>
      <h1>{t('notSetUp.heading')}</h1>
      <p role="status">{t('notSetUp.body')}</p>
    </main>
  );
}
