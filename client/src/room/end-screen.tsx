import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { AttendanceSessionSummary, MeResponse } from '../api/contract';
import { ViewSwitch, type View } from '../attendance/attendance-tab';
import { useDocumentTitle } from '../components/use-document-title';
import { t, tp } from '../i18n';
import { endedHere } from './class-end';
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

/**
 * Who ended the class, as this person hears it: the teacher who ended it ("You ended the class", with how
 * long it lasted and how many came), another teacher, or a student ("Your teacher ended the class").
 */
type Ender = 'you' | 'colleague' | 'teacher';

function enderOf(reason: EndReason, me: MeResponse): Ender | undefined {
  if (reason !== 'ended') return undefined;
  if (me.user.role !== 'instructor') return 'teacher';
  return endedHere() ? 'you' : 'colleague';
}

/** What the room page turns into when the connection is over, with the class's attendance a tab away. */
export function EndScreen({ reason, detail, onRejoin, api, me }: Props) {
  const ender = enderOf(reason, me);
  const title = ender === 'you' ? t('end.ended.byYouTitle') : t(`end.${reason}.title`);
  useDocumentTitle(title);
  const heading = useRef<HTMLHeadingElement>(null);
  const [view, setView] = useState<View>('class');
  useEffect(() => heading.current?.focus(), []);
  return (
    <main data-end={reason} data-ender={ender} class={view !== 'class' ? 'wide' : undefined}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <ViewSwitch api={api} me={me} view={view} onView={setView}>
        {ender === 'you' ? (
          <ClassSummary api={api} />
        ) : (
          <p>{ender === 'colleague' ? t('end.ended.byColleague') : t(`end.${reason}.body`)}</p>
        )}
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

/**
 * "It lasted 42 minutes. 18 of 22 students attended." from the attendance API (instructors): the newest
 * session is the one just ended. Its end may not be recorded yet (the SFU's webhook follows the end by a
 * moment): the minutes then run to now, which is the same thing.
 */
function ClassSummary({ api }: { api: ApiClient }) {
  const [summary, setSummary] = useState<AttendanceSessionSummary | null>();
  useEffect(() => {
    const abort = new AbortController();
    api.attendanceSessions(abort.signal).then(
      (answer) => !abort.signal.aborted && setSummary(answer.sessions[0] ?? null),
      () => !abort.signal.aborted && setSummary(null),
    );
    return () => abort.abort();
  }, [api]);
  return (
    <div role="status" data-testid="class-summary">
      {summary === undefined && <p class="hint">{t('end.summary.loading')}</p>}
      {summary && (
        <p>
          {summary.minutes < 1 ? t('end.summary.underMinute') : tp('end.summary.minutes', summary.minutes)}{' '}
          {summary.learners > 0
            ? tp('end.summary.attendedOf', summary.attended, { learners: summary.learners })
            : tp('end.summary.attended', summary.attended)}
        </p>
      )}
      {summary === null && <p>{t('end.summary.unavailable')}</p>}
    </div>
  );
}
