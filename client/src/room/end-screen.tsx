import { useEffect, useRef } from 'preact/hooks';
import { useDocumentTitle } from '../components/use-document-title';
import { t } from '../i18n';
import type { EndReason } from './room-connection';

/** Whether joining again can help; the texts are end.<reason>.title and end.<reason>.body. */
const REJOIN: Record<EndReason, boolean> = {
  ended: false,
  removed: false,
  duplicate: true,
  left: true,
  lost: true,
  locked: true,
};

/** What the room page turns into when the connection is over. */
export function EndScreen({ reason, detail, onRejoin }: { reason: EndReason; detail?: string; onRejoin: () => void }) {
  const title = t(`end.${reason}.title`);
  useDocumentTitle(title);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main data-end={reason}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p>{t(`end.${reason}.body`)}</p>
      {detail && <p class="hint">{detail}</p>}
      {REJOIN[reason] && (
        <div class="actions">
          <button type="button" onClick={onRejoin}>
            {t('end.joinAgain')}
          </button>
        </div>
      )}
    </main>
  );
}
