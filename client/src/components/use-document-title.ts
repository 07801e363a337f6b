import { useEffect } from 'preact/hooks';
import { t } from '../i18n';

/** Sets the tab (and screen reader page) title while the page is shown. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = t('common.documentTitle', { page: title });
  }, [title]);
}
