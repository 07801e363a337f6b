import { useEffect, useRef, useState } from 'preact/hooks';
import { isApiError, type ApiClient } from '../api/client';
import type { RecordingDto, RecordingLinksResponse } from '../api/contract';
import { dateTimeText, type Clock } from '../attendance/attendance-text';
import { t } from '../i18n';
import { DeleteRecordingDialog } from './delete-dialog';
import { recordingDate } from './recordings-text';

interface Props {
  api: ApiClient;
  recording: RecordingDto;
  clock: Clock;
  teacher: boolean;
  /** Teachers of a class whose students watch what is published: the publish switch. */
  publishing: boolean;
  onClose: () => void;
  onDeleted: (recording: RecordingDto) => void;
  onPublished: (recording: RecordingDto) => void;
}

/** A fresh link is asked for this long before the one in hand expires (a quarter of its life, at most 30 s). */
const renewLeadMs = (links: RecordingLinksResponse, mintedAt: number) =>
  Math.min(30_000, (Date.parse(links.play.expiresAt) - mintedAt) / 4);
/** A link that fails again this soon after a fresh one was put in means the recording cannot be played. */
const RECOVERY_WINDOW_MS = 5000;

const reasonOf = (err: unknown) => (isApiError(err) ? err.message : t('common.somethingWrong'));

/**
 * One recording in the page: an HTML5 player on a signed link, renewed before it expires (a paused player
 * takes the new one at once, a playing one when it next needs the server, which its error says), the
 * download link (renewed alike), and for teachers publishing and deleting.
 */
export function RecordingPlayer({
  api,
  recording,
  clock,
  teacher,
  publishing,
  onClose,
  onDeleted,
  onPublished,
}: Props) {
  const id = recording.recordingId;
  const date = dateTimeText(recordingDate(recording), clock);
  const [links, setLinks] = useState<RecordingLinksResponse>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // The switch shows what was asked at once; the server's answer (or a failure) settles it.
  const [published, setPublished] = useState(recording.published);
  useEffect(() => setPublished(recording.published), [recording.published]);
  const media = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** The link the player has, the last recovery, and whether it was playing. */
  const loadedUrl = useRef<string>();
  const recoveredAt = useRef(0);
  const wasPlaying = useRef(false);

  const mint = async (): Promise<RecordingLinksResponse | undefined> => {
    try {
      const minted = await api.recordingLinks(id);
      setLinks(minted);
      return minted;
    } catch (err) {
      setFailure(t('recordings.player.failed', { reason: reasonOf(err) }));
      return undefined;
    }
  };

  useEffect(() => {
    heading.current?.focus();
    void mint();
  }, []);

  // Renewal: a new pair of links shortly before these expire, as long as the player is open.
  useEffect(() => {
    if (!links) return;
    const now = Date.now();
    const timer = setTimeout(
      () => void mint(),
      Math.max(1000, Date.parse(links.play.expiresAt) - now - renewLeadMs(links, now)),
    );
    return () => clearTimeout(timer);
  }, [links]);

  /** Puts `url` in the player where it was (its time, and playing if it played). */
  const load = (el: HTMLMediaElement, url: string, resume: boolean) => {
    const at = el.currentTime;
    loadedUrl.current = url;
    el.src = url;
    el.addEventListener(
      'loadedmetadata',
      () => {
        if (at > 0) el.currentTime = at;
        if (resume) void el.play().catch(() => undefined);
      },
      { once: true },
    );
  };

  useEffect(() => {
    const el = media.current;
    if (!el || !links || loadedUrl.current === links.play.url) return;
    // Not yet loaded, or paused: take the new link now. Playing: the old one goes on until it is refused.
    if (!loadedUrl.current || el.paused) load(el, links.play.url, false);
  }, [links]);

  const onError = async () => {
    const el = media.current;
    if (!el) return;
    if (Date.now() - recoveredAt.current < RECOVERY_WINDOW_MS) {
      setFailure(t('recordings.player.failed', { reason: el.error?.message || t('common.somethingWrong') }));
      return;
    }
    // Most likely the link expired mid-way: a fresh one, from where it was.
    recoveredAt.current = Date.now();
    const fresh = await mint();
    if (fresh) load(el, fresh.play.url, wasPlaying.current);
  };

  const onDownload = async (e: MouseEvent) => {
    if (!links || Date.parse(links.download.expiresAt) - Date.now() > 5000) return;
    e.preventDefault();
    const fresh = await mint();
    if (!fresh) return;
    const a = document.createElement('a');
    a.href = fresh.download.url;
    a.download = '';
    a.click();
  };

  const togglePublished = async (wanted: boolean) => {
    setBusy(true);
    setPublished(wanted);
    try {
      onPublished(await api.setRecordingPublished(id, wanted));
      setFailure(undefined);
    } catch (err) {
      setPublished(!wanted);
      setFailure(t('recordings.action.failed', { reason: reasonOf(err) }));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await api.deleteRecording(id);
      setConfirming(false);
      media.current?.pause();
      onDeleted(recording);
    } catch (err) {
      setConfirming(false);
      setFailure(t('recordings.action.failed', { reason: reasonOf(err) }));
    } finally {
      setBusy(false);
    }
  };

  const Media = recording.audioOnly ? 'audio' : 'video';
  return (
    <section class="recording-player" aria-labelledby="recording-player-title" data-recording-id={id}>
      <div class="recording-player-head">
        <h3 id="recording-player-title" ref={heading} tabIndex={-1}>
          {t('recordings.player.title', { date })}
        </h3>
        <button type="button" class="secondary close" onClick={onClose}>
          {t('recordings.player.close')}
        </button>
      </div>
      {recording.audioOnly && <p class="hint">{t('recordings.player.audioOnly')}</p>}
      <Media
        ref={media}
        controls
        preload="metadata"
        aria-label={t('recordings.player.title', { date })}
        onError={() => void onError()}
        onPlay={() => (wasPlaying.current = true)}
        onPause={() => (wasPlaying.current = false)}
      />
      {!links && !failure && <p class="hint">{t('recordings.player.loading')}</p>}
      {failure && (
        <p class="field-error" role="alert">
          {failure}
        </p>
      )}
      <div class="recording-actions">
        {links && (
          <a
            class="button-link"
            href={links.download.url}
            download
            aria-label={t('recordings.download.of', { date })}
            onClick={(e) => void onDownload(e)}
          >
            {t('recordings.download')}
          </a>
        )}
        {publishing && (
          <label class="publish-switch">
            <input
              type="checkbox"
              checked={published}
              disabled={busy}
              onChange={(e) => void togglePublished((e.currentTarget as HTMLInputElement).checked)}
            />
            {t('recordings.publish')}
          </label>
        )}
        {teacher && (
          <button
            type="button"
            class="danger"
            disabled={busy}
            aria-label={t('recordings.delete.of', { date })}
            onClick={() => setConfirming(true)}
          >
            {t('recordings.delete')}
          </button>
        )}
      </div>
      {teacher && (
        <DeleteRecordingDialog
          open={confirming}
          date={date}
          busy={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void remove()}
        />
      )}
    </section>
  );
}
