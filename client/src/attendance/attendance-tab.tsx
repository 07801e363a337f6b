import type { ComponentChildren, VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { MeResponse } from '../api/contract';
import { t, type MessageKey } from '../i18n';
import { showsRecordings } from '../recordings/recordings-text';
import type * as RecordingsModule from '../recordings/recordings-view';
import type * as ViewModule from './attendance-view';
import './attendance-tab.css';

/** What the launcher shows beside the class: the class itself, its attendance records, or its recordings. */
export type View = 'class' | 'attendance' | 'recordings';

/** The tabs this person gets: Recordings where they may watch any (teachers always). */
export const viewsFor = (me: MeResponse): View[] => [
  'class',
  'attendance',
  ...(showsRecordings(me) ? (['recordings'] as const) : []),
];

/**
 * A view's chunk, loaded when first opened (the pre-join bundle stays small); a failed import is not cached
 * by the browser, so it is forgotten and the next opening tries again.
 */
function chunkLoader<M>(load: () => Promise<M>): { get: () => Promise<M> } {
  let chunk: Promise<M> | undefined;
  return {
    get: () =>
      (chunk ??= load().catch((err: unknown) => {
        chunk = undefined;
        throw err;
      })),
  };
}

const attendanceChunk = chunkLoader<typeof ViewModule>(() => import('./attendance-view'));
const recordingsChunk = chunkLoader<typeof RecordingsModule>(() => import('../recordings/recordings-view'));

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
  const VIEWS = viewsFor(me);
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
  const label = (v: View) =>
    v === 'class' ? t('views.class') : v === 'attendance' ? attendanceLabel(me) : t('views.recordings');
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
        {view === 'class' ? (
          children
        ) : view === 'attendance' ? (
          <AttendancePanel api={api} me={me} />
        ) : (
          <RecordingsPanel api={api} me={me} />
        )}
      </div>
    </>
  );
}

/** The attendance view once its chunk has loaded; a plain status line until then, or if it fails. */
export function AttendancePanel({ api, me }: { api: ApiClient; me: MeResponse }) {
  return (
    <ChunkPanel
      chunk={attendanceChunk}
      render={(m) => <m.AttendanceView api={api} me={me} />}
      loading="views.loading"
      failed="views.loadFailed"
    />
  );
}

/** The recordings view once its chunk has loaded. */
export function RecordingsPanel({ api, me }: { api: ApiClient; me: MeResponse }) {
  return (
    <ChunkPanel
      chunk={recordingsChunk}
      render={(m) => <m.RecordingsView api={api} me={me} />}
      loading="views.recordings.loading"
      failed="views.recordings.loadFailed"
    />
  );
}

function ChunkPanel<M>({
  chunk,
  render,
  loading,
  failed: failedText,
}: {
  chunk: { get: () => Promise<M> };
  render: (m: M) => VNode;
  loading: MessageKey;
  failed: MessageKey;
}) {
  const [loaded, setLoaded] = useState<M>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    chunk.get().then(
      (m) => live && setLoaded(() => m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  if (loaded) return render(loaded);
  return (
    <p class={failed ? 'field-error' : 'hint'} role={failed ? 'alert' : 'status'}>
      {t(failed ? failedText : loading)}
    </p>
  );
}
