import { useEffect, useRef, useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type { JoinGrant } from '../api/room-types';
import { WAITING_TOPIC, type WaitingMessage } from '../api/room-types';
import { useDocumentTitle } from '../components/use-document-title';
import { t } from '../i18n';
import { RoomConnection } from './room-connection';

interface Props {
  lobby: JoinGrant;
  /** Asks once, after the lobby connects, whether the teacher already answered (see below). */
  api?: ApiClient;
  /** The teacher let you in: ask for a room token again. */
  onAdmitted: () => void;
  onBack: () => void;
}

/** The waiting room: a silent lobby connection where the tool pushes the teacher's answer. */
export function WaitingPage({ lobby, api, onAdmitted, onBack }: Props) {
  const [state, setState] = useState<'connecting' | 'waiting' | 'denied' | 'failed'>('connecting');
  useDocumentTitle(t(state === 'denied' ? 'waiting.declinedTitle' : 'waiting.title'));
  const admitted = useRef(onAdmitted);
  admitted.current = onAdmitted;

  useEffect(() => {
    // No fetchGrant: a lobby token is not renewed; LiveKit refreshes it while connected.
    const conn = new RoomConnection({});
    conn.on('data', (message, topic) => {
      if (topic !== WAITING_TOPIC) return;
      const type = (message as Partial<WaitingMessage>).type;
      if (type === 'admitted') admitted.current();
      else if (type === 'denied') setState('denied');
    });
    conn.connect(lobby).then(
      async () => {
        setState((s) => (s === 'connecting' ? 'waiting' : s));
        // A teacher who answered while this page was still connecting (Admit all, a toast's Admit) was
        // pushed to nobody: ask once. Still waiting is a refusal again, with nothing to do.
        const answer = await api?.roomToken().then(
          () => 'admitted' as const,
          (err: unknown) => (isApiError(err) && err.code === 'ROOM_WAITING_DENIED' ? 'denied' : undefined),
        );
        if (answer === 'admitted') admitted.current();
        else if (answer === 'denied') setState('denied');
      },
      () => setState('failed'),
    );
    // One lobby connection per lobby token.
    return () => void conn.leave();
  }, [lobby]);

  if (state === 'denied') {
    return (
      <main>
        <h1>{t('waiting.declinedHeading')}</h1>
        <p>{t('refusal.denied')}</p>
      </main>
    );
  }
  return (
    <main aria-busy={state === 'connecting' ? 'true' : undefined}>
      <h1>{t('waiting.title')}</h1>
      <div role="status" aria-live="polite">
        <p>{t(state === 'failed' ? 'waiting.failed' : 'waiting.told')}</p>
      </div>
      <div class="actions">
        <button type="button" onClick={onBack}>
          {t('waiting.leave')}
        </button>
      </div>
    </main>
  );
}
