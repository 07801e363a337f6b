import type { TargetedEvent } from 'preact';
import { ErrorText, Field, describedBy } from '../components/field';
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
  text: (key: 'recordingRetentionDays' | 'recordingStreamUrl') => (e: TargetedEvent<HTMLInputElement>) => void;
  /** The server's retention (days): the class may keep its recordings less long, never longer. */
  retentionMax: number;
}

/** The deep linking form's recordings section: who may watch the class's recordings, and for how long. */
export function RecordingFields({ form, errors, set, text, retentionMax }: Props) {
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
      <Field
        id={fieldId('recording.retentionDays')}
        label={t('deepLink.recordingRetention')}
        hint={t('deepLink.recordingRetention.hint', { max: retentionMax })}
        error={errors['recording.retentionDays']}
      >
        {(a11y) => (
          <input
            {...a11y}
            type="number"
            inputMode="numeric"
            min={1}
            max={retentionMax}
            placeholder={String(retentionMax)}
            value={form.recordingRetentionDays}
            onInput={text('recordingRetentionDays')}
          />
        )}
      </Field>
      <Field
        id={fieldId('recording.streamUrl')}
        label={t('deepLink.recordingStreamUrl')}
        hint={t('deepLink.recordingStreamUrl.hint')}
        error={errors['recording.streamUrl']}
      >
        {(a11y) => (
          <input
            {...a11y}
            type="password"
            autoComplete="off"
            spellcheck={false}
            placeholder="rtmps://live.example.com/app/stream-key"
            value={form.recordingStreamUrl}
            onInput={text('recordingStreamUrl')}
          />
        )}
      </Field>
    </fieldset>
  );
}
