import type { ApiClient } from '../api/client';
import type { AttendanceSessionSummary } from '../api/contract';
import { t } from '../i18n';
import { LoadNotice, ScreenHeading, TableBox } from './attendance-parts';
import { minutesText, sessionTimeText, type Clock } from './attendance-text';
import { SETTLE_POLL_MS, settling } from './settling';
import { useLoad, usePoll } from './use-load';

interface Props {
  api: ApiClient;
  clock: Clock;
  focus: boolean;
  onOpen: (session: AttendanceSessionSummary) => void;
}

const newestFirst = (sessions: readonly AttendanceSessionSummary[]) =>
  [...sessions].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));

/** The activity's class sessions, newest first; a session's date opens its table. */
export function SessionsList({ api, clock, focus, onOpen }: Props) {
  const { loaded, reload } = useLoad((signal) => api.attendanceSessions(signal), 'sessions');
  const sessions = loaded.data ? newestFirst(loaded.data.sessions) : [];
  usePoll(sessions.some(settling), loaded, reload, SETTLE_POLL_MS);
  const caption = t('attendance.sessions.caption');
  return (
    <section class="attendance-section" aria-labelledby="attendance-sessions-heading">
      <ScreenHeading id="attendance-sessions-heading" focus={focus}>
        {t('attendance.sessions.heading')}
      </ScreenHeading>
      <LoadNotice loaded={loaded} onRetry={reload} />
      {loaded.data && sessions.length === 0 && <p>{t('attendance.sessions.empty')}</p>}
      {sessions.length > 0 && (
        <>
          <TableBox label={caption}>
            <table class="attendance-table sessions-table">
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('attendance.col.session')}</th>
                  <th scope="col" class="num">
                    {t('attendance.col.duration')}
                  </th>
                  <th scope="col" class="num">
                    {t('attendance.col.attended')}
                  </th>
                  <th scope="col">{t('attendance.col.record')}</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.sessionId} data-session-id={s.sessionId}>
                    <th scope="row">
                      <button type="button" class="link" onClick={() => onOpen(s)}>
                        <time dateTime={s.startedAt}>{sessionTimeText(s, clock)}</time>
                      </button>
                    </th>
                    <td class="num">{minutesText(s.minutes, clock)}</td>
                    <td class="num">{t('attendance.attendedOf', { attended: s.attended, learners: s.learners })}</td>
                    <td>
                      <RecordState final={s.final} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
          {sessions.some((s) => !s.final) && <p class="hint">{t('attendance.sessions.note')}</p>}
        </>
      )}
    </section>
  );
}

/** "Final" or "In progress", with a shape as well as a word. */
export function RecordState({ final }: { final: boolean }) {
  return (
    <span class={final ? 'record final' : 'record in-progress'} data-final={final ? 'true' : 'false'}>
      <span aria-hidden="true">{final ? '■ ' : '□ '}</span>
      {t(final ? 'attendance.final' : 'attendance.inProgress')}
    </span>
  );
}
