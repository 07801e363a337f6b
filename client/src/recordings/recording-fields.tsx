import { ErrorText, describedBy } from '../components/field';
import { t } from '../i18n';
import { fieldId, type ActivityForm, type FormErrors, type RecordingViewers } from '../pages/activity-form';

const VIEWERS = {
  published: 'deepLink.recordingViewers.published',
  course: 'deepLink.recordingViewers.course',
  instructors: 'deepLink.recordingViewers.instructors',
} as const satisfies Record<RecordingViewers, string>;

interface Props {
  form: ActivityForm;
  errors: FormErrors;
  set: (key: 'recordingViewers', value: RecordingViewers) => void;
}

/** The deep linking form's recordings section: who may watch the class's recordings. */
export function RecordingFields({ form, errors, set }: Props) {
  const error = errors['recording.viewers'];
  return (
    <fieldset>
      <legend>{t('deepLink.recordings')}</legend>
      <fieldset
        id={fieldId('recording.viewers')}
        class="group"
        tabIndex={-1}
        aria-describedby={describedBy(error && 'recording-viewers-error')}
      >
        <legend>{t('deepLink.recordingViewers')}</legend>
        {(Object.keys(VIEWERS) as RecordingViewers[]).map((value) => (
          <div class="field check" key={value}>
            <input
              id={`recording-viewers-${value}`}
              type="radio"
              name="recordingViewers"
              value={value}
              checked={form.recordingViewers === value}
              onChange={() => set('recordingViewers', value)}
            />
            <label for={`recording-viewers-${value}`}>{t(VIEWERS[value])}</label>
          </div>
        ))}
        <ErrorText id="recording-viewers-error" error={error} />
      </fieldset>
    </fieldset>
  );
}
