import { useDocumentTitle } from '../components/use-document-title';
import { t } from '../i18n';

/**
 * Shown without a launch token, or when the API answers 401: only a new launch from the LMS helps. A
 * revoked session (the tool's administrator removed or turned off the course's connection) says so, since
 * relaunching will not help until the LMS admin sorts it out.
 */
export function SessionEndedPage({ revoked = false }: { revoked?: boolean }) {
  useDocumentTitle(t('sessionEnded.title'));
  return (
    <main data-ended={revoked ? 'revoked' : 'expired'}>
      <h1>{t(revoked ? 'sessionEnded.revokedHeading' : 'sessionEnded.heading')}</h1>
      <p>{t(revoked ? 'sessionEnded.revokedBody' : 'sessionEnded.body')}</p>
    </main>
  );
}
