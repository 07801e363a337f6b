import { ModalDialog } from '../components/modal-dialog';
import { t } from '../i18n';
import type { ParticipantModel } from './participant-model';
import './people.css';

/**
 * "Remove <name>?" before a removal, which lasts the rest of the session; focus goes back to the person's
 * menu button. Shown while `person` is set.
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
  const name = person?.name ?? '';
  return (
    <ModalDialog
      open={person !== undefined}
      name="remove-dialog"
      title={t('people.remove.title', { name })}
      body={t('people.remove.body', { name })}
      onCancel={onCancel}
    >
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
    </ModalDialog>
  );
}
