import { useEffect } from 'preact/hooks';
import { t } from '../i18n';

/** Sets the tab (and screen reader page) title while the page is shown; undefined leaves it as it is. */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    if (title !== undefined) document.title = t('common.documentTitle', { page: title });
  }, [title]);
}
