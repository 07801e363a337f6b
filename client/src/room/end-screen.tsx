import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { MeResponse } from '../api/contract';
import { ViewSwitch, type View } from '../attendance/attendance-tab';
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

interface Props {
  reason: EndReason;
  detail?: string | undefined;
  onRejoin: () => void;
  /** The launch, for the attendance tab beside the message (records stay after the class). */
  api: ApiClient;
  me: MeResponse;
}

/** What the room page turns into when the connection is over, with the class's attendance a tab away. */
export function EndScreen({ reason, detail, onRejoin, api, me }: Props) {
  const title = t(`end.${reason}.title`);
  useDocumentTitle(title);
  const heading = useRef<HTMLHeadingElement>(null);
  const [view, setView] = useState<View>('class');
  useEffect(() => heading.current?.focus(), []);
  return (
    <main data-end={reason} class={view === 'attendance' ? 'wide' : undefined}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <ViewSwitch api={api} me={me} view={view} onView={setView}>
        <p>{t(`end.${reason}.body`)}</p>
        {detail && <p class="hint">{detail}</p>}
        {REJOIN[reason] && (
          <div class="actions">
            <button type="button" onClick={onRejoin}>
              {t('end.joinAgain')}
            </button>
          </div>
        )}
      </ViewSwitch>
    </main>
  );
}
