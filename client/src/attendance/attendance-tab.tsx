import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { MeResponse } from '../api/contract';
import { t } from '../i18n';
import type * as ViewModule from './attendance-view';
import './attendance-tab.css';

/** What the launcher shows beside the class: the class itself, or its attendance records. */
export type View = 'class' | 'attendance';

const VIEWS: readonly View[] = ['class', 'attendance'];

/** The attendance view and its tables, loaded when first opened (the pre-join bundle stays small). */
let viewChunk: Promise<typeof ViewModule> | undefined;
const loadView = () => (viewChunk ??= import('./attendance-view'));

/** "Attendance" for instructors (everyone's), "My attendance" for anyone else. */
export const attendanceLabel = (me: MeResponse): string =>
  t(me.user.role === 'instructor' ? 'views.attendance' : 'views.myAttendance');

interface SwitchProps {
  api: ApiClient;
  me: MeResponse;
  view: View;
  onView: (view: View) => void;
  /** The class view (pre-join details, or the end screen's message). */
  children: ComponentChildren;
}

/**
 * Tabs between the class and its attendance (WAI-ARIA tabs: arrow keys, Home and End move between them),
 * and the chosen panel.
 */
export function ViewSwitch({ api, me, view, onView, children }: SwitchProps) {
  const tabs = useRef<Partial<Record<View, HTMLButtonElement | null>>>({});
  const choose = (next: View) => {
    onView(next);
    tabs.current[next]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const at = VIEWS.indexOf(view);
    const next =
      e.key === 'ArrowRight'
        ? VIEWS[(at + 1) % VIEWS.length]
        : e.key === 'ArrowLeft'
          ? VIEWS[(at - 1 + VIEWS.length) % VIEWS.length]
          : e.key === 'Home'
            ? VIEWS[0]
            : e.key === 'End'
              ? VIEWS[VIEWS.length - 1]
              : undefined;
    if (!next) return;
    e.preventDefault();
    choose(next);
  };
  const label = (v: View) => (v === 'class' ? t('views.class') : attendanceLabel(me));
  return (
    <>
      <div class="view-tabs" role="tablist" aria-label={t('views.label')} onKeyDown={onKeyDown}>
        {VIEWS.map((v) => (
          <button
            key={v}
            ref={(el) => {
              tabs.current[v] = el;
            }}
            type="button"
            role="tab"
            id={`view-tab-${v}`}
            data-view={v}
            aria-selected={view === v ? 'true' : 'false'}
            aria-controls="view-panel"
            tabIndex={view === v ? 0 : -1}
            onClick={() => onView(v)}
          >
            {label(v)}
          </button>
        ))}
      </div>
      <div class="view-panel" role="tabpanel" id="view-panel" aria-labelledby={`view-tab-${view}`}>
        {view === 'class' ? children : <AttendancePanel api={api} me={me} />}
      </div>
    </>
  );
}

/** The attendance view once its chunk has loaded; a plain status line until then, or if it fails. */
export function AttendancePanel({ api, me }: { api: ApiClient; me: MeResponse }) {
  const [chunk, setChunk] = useState<typeof ViewModule>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadView().then(
      (m) => live && setChunk(m),
      () => {
        // A failed import is not cached by the browser: the next opening tries again.
        viewChunk = undefined;
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, []);
  if (chunk) return <chunk.AttendanceView api={api} me={me} />;
  return (
    <p class={failed ? 'field-error' : 'hint'} role={failed ? 'alert' : 'status'}>
      {t(failed ? 'views.loadFailed' : 'views.loading')}
    </p>
  );
}
