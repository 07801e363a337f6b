import { useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { AttendanceEntry, AttendanceSessionSummary, MeResponse } from '../api/contract';
import { currentLocale, t } from '../i18n';
import { pickTimeZone } from '../time';
import type { Clock } from './attendance-text';
import { GradesPanel } from './grades-panel';
import { PersonScreen } from './person-screen';
import { SessionScreen } from './session-screen';
import { SessionsList } from './sessions-list';
import './attendance.css';

export interface AttendanceViewProps {
  api: ApiClient;
  me: MeResponse;
}

/**
 * The attendance records of the launch's class, loaded on demand (this is its own chunk): instructors see
 * every session, its table and each person's history, and the grades; anyone else sees their own record.
 * Records outlive the class, so this works before, during and after it.
 */
export function AttendanceView({ api, me }: AttendanceViewProps) {
  const clock = useMemo<Clock>(
    () => ({
      timeZone: pickTimeZone(me.timezone, Intl.DateTimeFormat().resolvedOptions().timeZone),
      locale: currentLocale(),
    }),
    [me.timezone],
  );
  return (
    <div class="attendance-view">
      {me.user.role === 'instructor' ? (
        <TeacherAttendance api={api} clock={clock} />
      ) : (
        <PersonScreen fetcher={(signal) => api.myAttendance(signal)} loadKey="me" clock={clock} mine focus={false} />
      )}
    </div>
  );
}

type Screen =
  | { kind: 'sessions' }
  | { kind: 'session'; session: AttendanceSessionSummary }
  | { kind: 'person'; entry: Pick<AttendanceEntry, 'userKey' | 'name'>; from?: AttendanceSessionSummary };

/** Sessions and grades, then one session's table, then one person's history; each with a way back. */
function TeacherAttendance({ api, clock }: { api: ApiClient; clock: Clock }) {
  const [screen, setScreen] = useState<Screen>({ kind: 'sessions' });
  // The first screen keeps focus where the user chose the view; screens reached from here take it.
  const [moved, setMoved] = useState(false);
  const go = (next: Screen) => {
    setMoved(true);
    setScreen(next);
  };
  const openSession = (session: AttendanceSessionSummary) => go({ kind: 'session', session });

  if (screen.kind === 'session') {
    const from = screen.session;
    return (
      <SessionScreen
        key={from.sessionId}
        api={api}
        clock={clock}
        session={from}
        onBack={() => go({ kind: 'sessions' })}
        onPerson={(entry) => go({ kind: 'person', entry, from })}
      />
    );
  }
  if (screen.kind === 'person') {
    const { entry, from } = screen;
    return (
      <PersonScreen
        key={entry.userKey}
        fetcher={(signal) => api.personAttendance(entry.userKey, signal)}
        loadKey={entry.userKey}
        clock={clock}
        name={entry.name}
        mine={false}
        focus
        back={{
          label: t(from ? 'attendance.back.session' : 'attendance.back.sessions'),
          onBack: () => go(from ? { kind: 'session', session: from } : { kind: 'sessions' }),
        }}
        onOpenSession={openSession}
      />
    );
  }
  return (
    <>
      <SessionsList api={api} clock={clock} focus={moved} onOpen={openSession} />
      <GradesPanel api={api} clock={clock} />
    </>
  );
}
