import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';

/**
 * "Delete this recording?" before a deletion, which is final. A modal dialog: Escape or Cancel closes it
 * without acting, and the browser gives the focus back to the Delete button that opened it.
 */
export function DeleteRecordingDialog({
  open,
  date,
  busy,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  date: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      class="delete-recording-dialog"
      aria-labelledby="delete-recording-title"
      aria-describedby="delete-recording-body"
      // Escape: the state closes it (the effect above), so what is shown and what is meant never part; a
      // browser that closes it without a cancel event (no user activation) is followed.
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      onClose={() => {
        if (open) onCancel();
      }}
    >
      <h2 id="delete-recording-title">{t('recordings.delete.title')}</h2>
      <p id="delete-recording-body">{t('recordings.delete.body', { date })}</p>
      <div class="actions">
        <button type="button" class="secondary" autoFocus onClick={onCancel}>
          {t('recordings.delete.cancel')}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={onConfirm}>
          {t('recordings.delete.confirm')}
        </button>
      </div>
    </dialog>
  );
}
