import { useDocumentTitle } from '../components/use-document-title';
import { t } from '../i18n';

/** Shown without a launch token, or when the API answers 401: only a new launch from the LMS helps. */
export function SessionEndedPage() {
  useDocumentTitle(t('sessionEnded.title'));
  return (
    <main>
      <h1>{t('sessionEnded.heading')}</h1>
      <p>{t('sessionEnded.body')}</p>
    </main>
  );
}
