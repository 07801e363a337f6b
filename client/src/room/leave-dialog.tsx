import { useEffect, useRef, useState } from 'preact/hooks';
import { isApiError } from '../api/client';
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

/**
 * A teacher pressing Leave: leave alone, or end the class for everyone, or stay. A modal <dialog>: focus
 * moves into it (on "Leave"), Escape cancels, and closing returns focus to the button that opened it.
 */
export function LeaveDialog({ open, onLeave, onEndForEveryone, onCancel }: LeaveDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [ending, setEnding] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      setError(undefined);
      el.showModal();
    } else if (!open && el.open) el.close();
  }, [open]);

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
    <dialog
      ref={dialog}
      class="leave-dialog"
      aria-labelledby="leave-dialog-title"
      aria-describedby="leave-dialog-body"
      // Escape: the browser closes the dialog; tell the owner, whose `open` then follows.
      onCancel={(event) => {
        event.preventDefault();
        if (!ending) onCancel();
      }}
    >
      <h2 id="leave-dialog-title">{t('leave.title')}</h2>
      <p id="leave-dialog-body">{t('leave.body')}</p>
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
    </dialog>
  );
}
