import { useState } from 'preact/hooks';
import { isApiError } from '../api/client';
import { ModalDialog } from '../components/modal-dialog';
import { t } from '../i18n';

export interface LeaveDialogProps {
  open: boolean;
  /** Leave alone: the class goes on. */
  onLeave: () => void;
  /**
   * End the class for everyone (the leader action `end`). A promise keeps the dialog open, its buttons
   * disabled, until it settles; a rejection is shown in the dialog and the teacher stays in the class.
   */
  onEndForEveryone: () => void | Promise<void>;
  /** Cancel or Escape: back to the class. */
  onCancel: () => void;
}

/** A teacher pressing Leave: leave alone, or end the class for everyone, or stay ("Leave" has the focus). */
export function LeaveDialog({ open, onLeave, onEndForEveryone, onCancel }: LeaveDialogProps) {
  const [ending, setEnding] = useState(false);
  const [error, setError] = useState<string>();

  const endForEveryone = async () => {
    if (ending) return;
    setEnding(true);
    setError(undefined);
    try {
      await onEndForEveryone();
    } catch (err) {
      setError(isApiError(err) ? err.message : t('common.unreachable'));
    } finally {
      setEnding(false);
    }
  };

  return (
    <ModalDialog
      open={open}
      name="leave-dialog"
      title={t('leave.title')}
      body={t('leave.body')}
      busy={ending}
      onOpen={() => setError(undefined)}
      onCancel={onCancel}
    >
      <div role="alert">{error && <p class="field-error">{error}</p>}</div>
      <div class="actions">
        <button type="button" class="secondary" onClick={onCancel} disabled={ending}>
          {t('leave.cancel')}
        </button>{' '}
        <button type="button" onClick={onLeave} disabled={ending} autoFocus>
          {t('leave.leave')}
        </button>{' '}
        <button
          type="button"
          class="danger"
          onClick={() => void endForEveryone()}
          aria-disabled={ending ? 'true' : undefined}
          data-action="end-for-everyone"
        >
          {t(ending ? 'leave.ending' : 'leave.endForEveryone')}
        </button>
      </div>
    </ModalDialog>
  );
}
