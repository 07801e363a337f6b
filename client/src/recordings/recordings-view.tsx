import { useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { MeResponse, RecordingDto, RecordingsResponse } from '../api/contract';
import { TableBox } from '../attendance/attendance-parts';
import { dateTimeText, type Clock } from '../attendance/attendance-text';
import { useLoad, usePoll, type Loaded } from '../attendance/use-load';
import { currentLocale, t, tp } from '../i18n';
import { pickTimeZone } from '../time';
import { RecordingPlayer } from './recording-player';
import { durationText, recordingDate, sizeText, statusMark, statusText, whoText } from './recordings-text';
import '../attendance/attendance.css';
import './recordings.css';

export interface RecordingsViewProps {
  api: ApiClient;
  me: MeResponse;
}

/** While a recording is being made, the list asks again this often (its end brings duration and size). */
const IN_PROGRESS_POLL_MS = 10_000;

/**
 * The class's recordings (its own chunk, loaded when the tab is first opened): date, duration, size and
 * status, newest first; a finished one plays in the page, downloads, and for teachers is published or
 * deleted. The server decides who sees which (docs/recordings.md); this only shows what it answers.
 */
export function RecordingsView({ api, me }: RecordingsViewProps) {
  const clock = useMemo<Clock>(
    () => ({
      timeZone: pickTimeZone(me.timezone, Intl.DateTimeFormat().resolvedOptions().timeZone),
      locale: currentLocale(),
    }),
    [me.timezone],
  );
  const { loaded, reload } = useLoad((signal) => api.recordings(signal), 'recordings');
  const data = loaded.data;
  const inProgress = data?.recordings.some((r) => r.status === 'starting' || r.status === 'recording') ?? false;
  usePoll(inProgress, loaded, reload, IN_PROGRESS_POLL_MS);
  const [selected, setSelected] = useState<string>();
  const [said, setSaid] = useState('');
  const openers = useRef(new Map<string, HTMLButtonElement>());
  const heading = useRef<HTMLHeadingElement>(null);
  const playing = data?.recordings.find((r) => r.recordingId === selected && r.status === 'ready');

  const close = (focusRow: boolean) => {
    const id = selected;
    setSelected(undefined);
    if (focusRow && id) setTimeout(() => openers.current.get(id)?.focus());
  };
  const onDeleted = (r: RecordingDto) => {
    setSaid(t('recordings.delete.done', { date: dateTimeText(recordingDate(r), clock) }));
    setSelected(undefined);
    reload();
    setTimeout(() => heading.current?.focus());
  };
  const onPublished = (r: RecordingDto) => {
    const date = dateTimeText(recordingDate(r), clock);
    setSaid(t(r.published ? 'recordings.publish.done' : 'recordings.unpublish.done', { date }));
    reload();
  };

  return (
    <section class="recordings-view" aria-labelledby="recordings-heading">
      <h2 id="recordings-heading" ref={heading} tabIndex={-1}>
        {t('recordings.heading')}
      </h2>
      {data && (
        <p class="hint" data-viewers={data.viewers}>
          {whoText(data.viewers, data.canManage)} {tp('recordings.kept', data.retentionDays)}
        </p>
      )}
      <p class="visually-hidden" role="status" aria-live="polite">
        {said}
      </p>
      <Notice loaded={loaded} onRetry={reload} />
      {data && data.recordings.length === 0 && <p data-empty>{emptyText(data)}</p>}
      {playing && (
        <RecordingPlayer
          key={playing.recordingId}
          api={api}
          recording={playing}
          clock={clock}
          teacher={data?.canManage ?? false}
          publishing={data?.viewers === 'published' && (data?.canManage ?? false)}
          onClose={() => close(true)}
          onDeleted={onDeleted}
          onPublished={onPublished}
        />
      )}
      {data && data.recordings.length > 0 && (
        <RecordingsTable data={data} clock={clock} selected={selected} onOpen={setSelected} openers={openers.current} />
      )}
    </section>
  );
}

function emptyText(data: RecordingsResponse): string {
  if (data.canManage) return t('recordings.empty.teacher');
  return t(data.viewers === 'published' ? 'recordings.empty.published' : 'recordings.empty.course');
}

function Notice({ loaded, onRetry }: { loaded: Loaded<RecordingsResponse>; onRetry: () => void }) {
  if (loaded.state === 'loaded') return null;
  if (loaded.state === 'loading')
    return loaded.data === undefined ? <p class="hint">{t('recordings.loading')}</p> : null;
  return (
    <div class="notice" role="alert">
      <p>{t('recordings.failed', { reason: loaded.message })}</p>
      <button type="button" class="secondary" onClick={onRetry}>
        {t('common.tryAgain')}
      </button>
    </div>
  );
}

interface TableProps {
  data: RecordingsResponse;
  clock: Clock;
  selected: string | undefined;
  onOpen: (recordingId: string) => void;
  openers: Map<string, HTMLButtonElement>;
}

/** One row per recording; a finished one's date opens it in the player above. */
function RecordingsTable({ data, clock, selected, onOpen, openers }: TableProps) {
  const caption = t('recordings.caption');
  const publishing = data.canManage && data.viewers === 'published';
  return (
    <TableBox label={caption}>
      <table class="attendance-table recordings-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('recordings.col.date')}</th>
            <th scope="col" class="num">
              {t('recordings.col.duration')}
            </th>
            <th scope="col" class="num">
              {t('recordings.col.size')}
            </th>
            <th scope="col">{t('recordings.col.status')}</th>
            {publishing && <th scope="col">{t('recordings.col.students')}</th>}
          </tr>
        </thead>
        <tbody>
          {data.recordings.map((r) => {
            const date = dateTimeText(recordingDate(r), clock);
            return (
              <tr
                key={r.recordingId}
                data-recording-id={r.recordingId}
                data-status={r.status}
                aria-current={selected === r.recordingId ? 'true' : undefined}
              >
                <th scope="row">
                  {r.status === 'ready' ? (
                    <button
                      type="button"
                      class="link"
                      ref={(el) => {
                        if (el) openers.set(r.recordingId, el);
                        else openers.delete(r.recordingId);
                      }}
                      aria-label={t('recordings.open', { date })}
                      onClick={() => onOpen(r.recordingId)}
                    >
                      <time dateTime={recordingDate(r)}>{date}</time>
                    </button>
                  ) : (
                    <time dateTime={recordingDate(r)}>{date}</time>
                  )}
                </th>
                <td class="num">{r.durationMs !== undefined ? durationText(r.durationMs, clock) : <Dash />}</td>
                <td class="num">{r.sizeBytes !== undefined ? sizeText(r.sizeBytes, clock) : <Dash />}</td>
                <td>
                  <span class="rec-status" data-status={r.status}>
                    <span aria-hidden="true">{statusMark(r.status)} </span>
                    {statusText(r.status)}
                  </span>
                </td>
                {publishing && (
                  <td data-published={r.published ? 'true' : 'false'}>
                    {r.status === 'ready' ? (
                      t(r.published ? 'recordings.published' : 'recordings.notPublished')
                    ) : (
                      <Dash />
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableBox>
  );
}

function Dash() {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span class="visually-hidden">{t('attendance.none')}</span>
    </>
  );
}
