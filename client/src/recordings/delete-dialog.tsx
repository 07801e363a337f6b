import { ModalDialog } from '../components/modal-dialog';
import { t } from '../i18n';

/** "Delete this recording?" before a deletion, which is final; focus goes back to the Delete button. */
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
  return (
    <ModalDialog
      open={open}
      name="delete-recording"
      title={t('recordings.delete.title')}
      body={t('recordings.delete.body', { date })}
      onCancel={onCancel}
    >
      <div class="actions">
        <button type="button" class="secondary" autoFocus onClick={onCancel}>
          {t('recordings.delete.cancel')}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={onConfirm}>
          {t('recordings.delete.confirm')}
        </button>
      </div>
    </ModalDialog>
  );
}
