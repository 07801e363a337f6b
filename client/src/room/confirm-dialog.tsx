import { ModalDialog } from '../components/modal-dialog';
import { t } from '../i18n';

interface Props {
  open: boolean;
  /** The dialog's class and the prefix of its title's and body's ids (see ModalDialog). */
  name: string;
  title: string;
  body: string;
  /** The danger button's text, and its `data-action` where the tests or the docs name it. */
  confirm: string;
  confirmAction?: string;
  onCancel: () => void;
  onConfirm: () => void;
}

/**
 * "Are you sure?" before a leader action on everyone (end the class, remove everyone). Cancel comes first
 * and nothing has autofocus, so whatever the browser focuses as it opens is never the action itself.
 */
export function ConfirmDialog({ confirm, confirmAction, onConfirm, ...dialog }: Props) {
  return (
    <ModalDialog {...dialog}>
      <div class="actions">
        <button type="button" class="secondary" onClick={dialog.onCancel}>
          {t('leader.endDialog.cancel')}
        </button>
        <button type="button" class="danger" data-action={confirmAction} onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </ModalDialog>
  );
}
