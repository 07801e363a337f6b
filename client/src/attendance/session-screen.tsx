import { useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type { AttendanceEntry, AttendanceSessionSummary, SessionAttendanceResponse } from '../api/contract';
import { t, tp } from '../i18n';
import { EntryNotes, LoadNotice, ScreenHeading } from './attendance-parts';
import { dateTimeText, minutesText, rosterText, sessionTimeText, timeText, type Clock } from './attendance-text';
import { EntryTable } from './entry-table';
import { fileNameOf } from './file-name';
import { saveFile } from './save-file';
import { SessionPolls } from './session-polls';
import { RecordState } from './sessions-list';
import { SETTLE_POLL_MS, settling } from './settling';
import { useLoad, usePoll } from './use-load';

interface Props {
  api: ApiClient;
  clock: Clock;
  /** What the list knew of the session: its heading shows at once, before the table arrives. */
  session: AttendanceSessionSummary;
  onBack: () => void;
  onPerson: (entry: AttendanceEntry) => void;
}

type Note = { kind: 'status' | 'error'; text: string };

/** One session: its facts, the roster's origin, the learners' and the others' tables, the CSV. */
export function SessionScreen({ api, clock, session, onBack, onPerson }: Props) {
  const { sessionId } = session;
  const { loaded, reload } = useLoad((signal) => api.sessionAttendance(sessionId, false, signal), sessionId);
  const [fresh, setFresh] = useState<SessionAttendanceResponse>();
  const [busy, setBusy] = useState<'refresh' | 'csv'>();
  const [note, setNote] = useState<Note>();
  const data = fresh ?? loaded.data;
  const summary = data?.session ?? session;
  // A refreshed roster came with its own answer; polling goes on from the first one.
  usePoll(!fresh && settling(summary), loaded, reload, SETTLE_POLL_MS);

  const run = async (kind: 'refresh' | 'csv', action: () => Promise<string>) => {
    if (busy) return;
    setBusy(kind);
    setNote({
      kind: 'status',
      text: t(kind === 'refresh' ? 'attendance.roster.refreshing' : 'attendance.csv.preparing'),
    });
    try {
      setNote({ kind: 'status', text: await action() });
    } catch (err) {
      const reason = isApiError(err) ? err.message : t('common.somethingWrong');
      setNote({ kind: 'error', text: t(kind === 'csv' ? 'attendance.csv.failed' : 'attendance.failed', { reason }) });
    } finally {
      setBusy(undefined);
    }
  };
  const refresh = () =>
    run('refresh', async () => {
      const next = await api.sessionAttendance(sessionId, true);
      setFresh(next);
      return t('attendance.roster.refreshed', { time: timeText(next.roster.fetchedAt, clock) });
    });
  const download = () =>
    run('csv', async () => {
      const { blob, contentDisposition } = await api.attendanceCsv(sessionId);
      const file = fileNameOf(contentDisposition, `attendance-${sessionId}.csv`);
      saveFile(blob, file);
      return t('attendance.csv.done', { file });
    });

  return (
    <section class="attendance-section" aria-labelledby="attendance-session-heading" data-session-id={sessionId}>
      <p>
        <button type="button" class="secondary back" onClick={onBack}>
          {t('attendance.back.sessions')}
        </button>
      </p>
      <ScreenHeading id="attendance-session-heading" focus>
        {t('attendance.session.heading', { date: dateTimeText(summary.startedAt, clock) })}
      </ScreenHeading>
      <dl class="facts">
        <dt>{t('attendance.session.when')}</dt>
        <dd>{sessionTimeText(summary, clock)}</dd>
        <dt>{t('attendance.session.length')}</dt>
        <dd>{minutesText(summary.minutes, clock)}</dd>
        <dt>{t('attendance.session.present')}</dt>
        <dd>{t('attendance.attendedOf', { attended: summary.attended, learners: summary.learners })}</dd>
        <dt>{t('attendance.session.record')}</dt>
        <dd>
          <RecordState final={summary.final} />
        </dd>
      </dl>
      {data && (
        <p class="hint" data-roster-source={data.roster.source}>
          {rosterText(data.roster, clock)}
        </p>
      )}
      <div class="attendance-actions">
        <button
          type="button"
          class="secondary"
          aria-disabled={busy ? 'true' : undefined}
          onClick={() => void refresh()}
        >
          {t(busy === 'refresh' ? 'attendance.roster.refreshing' : 'attendance.roster.refresh')}
        </button>
        <button type="button" aria-disabled={busy ? 'true' : undefined} onClick={() => void download()}>
          {t('attendance.csv')}
        </button>
      </div>
      <div role="status" aria-live="polite" class="attendance-status">
        {note?.kind === 'status' && <p class="hint">{note.text}</p>}
      </div>
      <div role="alert">{note?.kind === 'error' && <p class="field-error">{note.text}</p>}</div>
      <LoadNotice loaded={loaded} onRetry={reload} />
      {data && (
        <>
          {data.learners.length === 0 ? (
            <p>{t('attendance.learners.empty')}</p>
          ) : (
            <EntryTable
              caption={tp('attendance.learners.caption', data.learners.length)}
              entries={data.learners}
              clock={clock}
              onPerson={onPerson}
            />
          )}
          {data.others.length > 0 && (
            <EntryTable
              caption={tp('attendance.others.caption', data.others.length)}
              entries={data.others}
              clock={clock}
              showRole
              onPerson={onPerson}
            />
          )}
          <EntryNotes entries={[...data.learners, ...data.others]} />
        </>
      )}
      <SessionPolls api={api} sessionId={sessionId} />
    </section>
  );
}
