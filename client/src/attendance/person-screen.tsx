import type { AttendanceSessionSummary, PersonAttendanceResponse } from '../api/contract';
import { t } from '../i18n';
import { EntryCells, EntryNotes, LoadNotice, ScreenHeading, TableBox } from './attendance-parts';
import { sessionTimeText, type Clock } from './attendance-text';
import { RecordState } from './sessions-list';
import { useLoad } from './use-load';

interface Props {
  /** The person's record: /api/attendance/people/:userKey, or /api/attendance/me for one's own. */
  fetcher: (signal: AbortSignal) => Promise<PersonAttendanceResponse>;
  loadKey: string;
  clock: Clock;
  /** The name known before the record arrives (from the table row clicked); undefined for one's own. */
  name?: string;
  mine: boolean;
  focus: boolean;
  back?: { label: string; onBack: () => void };
  onOpenSession?: (session: AttendanceSessionSummary) => void;
}

/** One person's sessions across the activity, newest first; a missed session shows as absent. */
export function PersonScreen({ fetcher, loadKey, clock, name, mine, focus, back, onOpenSession }: Props) {
  const { loaded, reload } = useLoad(fetcher, loadKey);
  const data = loaded.data;
  const who = data?.person.name ?? name ?? '';
  const sessions = data
    ? [...data.sessions].sort((a, b) => Date.parse(b.session.startedAt) - Date.parse(a.session.startedAt))
    : [];
  const caption = mine ? t('attendance.my.caption') : t('attendance.person.caption', { name: who });
  const attended = sessions.filter((s) => s.entry.status !== 'absent').length;
  return (
    <section class="attendance-section" aria-labelledby="attendance-person-heading">
      {back && (
        <p>
          <button type="button" class="secondary back" onClick={back.onBack}>
            {back.label}
          </button>
        </p>
      )}
      <ScreenHeading id="attendance-person-heading" focus={focus}>
        {mine ? t('attendance.my.heading') : t('attendance.person.heading', { name: who })}
      </ScreenHeading>
      <LoadNotice loaded={loaded} onRetry={reload} />
      {data && sessions.length === 0 && <p>{t(mine ? 'attendance.my.empty' : 'attendance.person.empty')}</p>}
      {sessions.length > 0 && (
        <>
          <p>{t('attendance.person.summary', { attended, total: sessions.length })}</p>
          <TableBox label={caption}>
            <table class="attendance-table person-table">
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('attendance.col.session')}</th>
                  <th scope="col">{t('attendance.col.status')}</th>
                  <th scope="col">{t('attendance.col.firstJoin')}</th>
                  <th scope="col">{t('attendance.col.lastLeave')}</th>
                  <th scope="col" class="num">
                    {t('attendance.col.minutes')}
                  </th>
                  <th scope="col" class="num">
                    {t('attendance.col.percent')}
                  </th>
                  <th scope="col" class="num">
                    {t('attendance.col.joins')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {sessions.map(({ session, entry }) => (
                  <tr key={session.sessionId} data-session-id={session.sessionId} data-status={entry.status}>
                    <th scope="row">
                      {onOpenSession ? (
                        <button type="button" class="link" onClick={() => onOpenSession(session)}>
                          <time dateTime={session.startedAt}>{sessionTimeText(session, clock)}</time>
                        </button>
                      ) : (
                        <time dateTime={session.startedAt}>{sessionTimeText(session, clock)}</time>
                      )}
                      {!session.final && (
                        <>
                          {' '}
                          <RecordState final={false} />
                        </>
                      )}
                    </th>
                    <EntryCells entry={entry} clock={clock} />
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
          <EntryNotes entries={sessions.map((s) => s.entry)} />
        </>
      )}
    </section>
  );
}
