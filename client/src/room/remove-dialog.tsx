import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import type { ParticipantModel } from './participant-model';
import './people.css';

/**
 * "Remove <name>?" before a removal, which lasts the rest of the session. A modal dialog: Escape or Cancel
 * closes it without acting, and the browser gives the focus back to what opened it (the person's menu
 * button). Shown while `person` is set.
 */
export function RemoveDialog({
  person,
  onCancel,
  onConfirm,
}: {
  person: ParticipantModel | undefined;
  onCancel: () => void;
  onConfirm: (person: ParticipantModel) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (person && !d.open) d.showModal();
    if (!person && d.open) d.close();
  }, [person]);
  const name = person?.name ?? '';
  return (
    <dialog
      ref={dialog}
      class="remove-dialog"
      aria-labelledby="remove-dialog-title"
      aria-describedby="remove-dialog-body"
      onClose={() => {
        if (person) onCancel();
      }}
    >
      <h2 id="remove-dialog-title">{t('people.remove.title', { name })}</h2>
      <p id="remove-dialog-body">{t('people.remove.body', { name })}</p>
      <div class="actions">
        <button type="button" class="secondary" autoFocus onClick={onCancel}>
          {t('people.remove.cancel')}
        </button>
        <button
          type="button"
          class="danger"
          aria-label={t('people.remove.confirm.of', { name })}
          onClick={() => person && onConfirm(person)}
        >
          {t('people.remove.confirm')}
        </button>
      </div>
    </dialog>
  );
}
