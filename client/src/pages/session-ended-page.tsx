import { useDocumentTitle } from '../components/use-document-title';

/** Shown without a launch token, or when the API answers 401: only a new launch from the LMS helps. */
export function SessionEndedPage() {
  useDocumentTitle('Session ended');
  return (
    <main>
      <h1>Your session has ended</h1>
      <p>Open the activity again from your course.</p>
    </main>
  );
}
