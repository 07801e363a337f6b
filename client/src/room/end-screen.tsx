import { useEffect, useRef } from 'preact/hooks';
import { useDocumentTitle } from '../components/use-document-title';
import type { EndReason } from './room-connection';

const TEXT: Record<EndReason, { title: string; body: string; rejoin: boolean }> = {
  ended: { title: 'The class has ended', body: 'Your teacher ended the class for everyone.', rejoin: false },
  removed: {
    title: 'You were removed',
    body: 'Your teacher removed you from this class for the rest of the session.',
    rejoin: false,
  },
  duplicate: {
    title: 'You joined from another window',
    body: 'You are in the class in another window or device, so this one was closed.',
    rejoin: true,
  },
  left: { title: 'You left the class', body: 'You can join again while the class is on.', rejoin: true },
  lost: {
    title: 'The connection was lost',
    body: 'The class could not be reached. Check your connection and join again.',
    rejoin: true,
  },
};

/** What the room page turns into when the connection is over. */
export function EndScreen({ reason, detail, onRejoin }: { reason: EndReason; detail?: string; onRejoin: () => void }) {
  const text = TEXT[reason];
  useDocumentTitle(text.title);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main data-end={reason}>
      <h1 ref={heading} tabIndex={-1}>
        {text.title}
      </h1>
      <p>{text.body}</p>
      {detail && <p class="hint">{detail}</p>}
      {text.rejoin && (
        <div class="actions">
          <button type="button" onClick={onRejoin}>
            Join again
          </button>
        </div>
      )}
    </main>
  );
}
