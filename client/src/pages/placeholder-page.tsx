import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';

/** The part of GET /readyz this page shows. */
interface Readiness {
  status: string;
  checks: Record<string, { ok: boolean }>;
}

type Load = { state: 'loading' } | { state: 'loaded'; readiness: Readiness } | { state: 'failed' };

const SERVICES = ['database', 'livekit'] as const;

/** Shown until the room UI exists: proves the client is built, served and can reach the API. */
export function PlaceholderPage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  useEffect(() => {
    const abort = new AbortController();
    fetchReadiness(abort.signal).then(
      (readiness) => setLoad({ state: 'loaded', readiness }),
      () => {
        if (!abort.signal.aborted) setLoad({ state: 'failed' });
      },
    );
    return () => abort.abort();
  }, []);

  return (
    <main>
      <h1>{t('common.appName')}</h1>
      <p>{t('placeholder.intro')}</p>
      <section aria-labelledby="services-heading">
        <h2 id="services-heading">{t('placeholder.services')}</h2>
        <div role="status" aria-live="polite">
          {load.state === 'loading' && <p>{t('placeholder.checking')}</p>}
          {load.state === 'failed' && <p>{t('placeholder.unreachable')}</p>}
          {load.state === 'loaded' && (
            <ul>
              {SERVICES.map((name) => (
                <li key={name} data-service={name}>
                  {t('placeholder.service', {
                    name,
                    status: t(load.readiness.checks[name]?.ok ? 'placeholder.ok' : 'placeholder.unavailable'),
                  })}
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
    </main>
  );
}

/** /readyz answers 503 with the same body when a service is down, so both statuses carry a report. */
async function fetchReadiness(signal: AbortSignal): Promise<Readiness> {
  const res = await fetch('/readyz', { signal, headers: { accept: 'application/json' } });
  if (res.status !== 200 && res.status !== 503) throw new Error(`GET /readyz answered ${res.status}`);
  return (await res.json()) as Readiness;
}
