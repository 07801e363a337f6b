import { useEffect } from 'preact/hooks';

/** Sets the tab (and screen reader page) title while the page is shown. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} — Live class`;
  }, [title]);
}
