import type { TargetedEvent } from 'preact';
import { CheckField, Field } from '../components/field';
import { t } from '../i18n';
import {
  MAX_POINTS,
  fieldId,
  type AbsentPolicy,
  type ActivityForm,
  type FormErrors,
  type GradingPolicy,
  type GradingScope,
} from './activity-form';

const POLICIES = {
  attended: 'deepLink.policy.attended',
  proportional: 'deepLink.policy.proportional',
  threshold: 'deepLink.policy.threshold',
} as const satisfies Record<GradingPolicy, string>;

const ABSENT = {
  zero: 'deepLink.absent.zero',
  'not-graded': 'deepLink.absent.notGraded',
} as const satisfies Record<AbsentPolicy, string>;

const SCOPES = {
  'per-session': 'deepLink.scope.perSession',
  cumulative: 'deepLink.scope.cumulative',
} as const satisfies Record<GradingScope, string>;

type Input = TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>;

interface Props {
  form: ActivityForm;
  errors: FormErrors;
  text: (key: keyof ActivityForm) => (e: Input) => void;
  check: (key: keyof ActivityForm) => (e: TargetedEvent<HTMLInputElement>) => void;
}

/** The deep linking form's grade section: whether attendance is graded, and by which policy. */
export function GradingFields({ form, errors, text, check }: Props) {
  return (
    <fieldset>
      <legend>{t('deepLink.grade')}</legend>
      <CheckField
        id={fieldId('grading.enabled')}
        label={t('deepLink.gradingEnabled')}
        error={errors['grading.enabled']}
      >
        {(a11y) => <input {...a11y} type="checkbox" checked={form.gradingEnabled} onChange={check('gradingEnabled')} />}
      </CheckField>
      {form.gradingEnabled && (
        <>
          <Field id={fieldId('grading.maxPoints')} label={t('deepLink.maxPoints')} error={errors['grading.maxPoints']}>
            {(a11y) => (
              <input
                {...a11y}
                type="number"
                inputMode="decimal"
                min={0}
                max={MAX_POINTS}
                step="any"
                value={form.maxPoints}
                onInput={text('maxPoints')}
              />
            )}
          </Field>
          <Field id={fieldId('grading.policy')} label={t('deepLink.policy')} error={errors['grading.policy']}>
            {(a11y) => (
              <select {...a11y} value={form.policy} onChange={text('policy')}>
                {Object.entries(POLICIES).map(([value, key]) => (
                  <option key={value} value={value}>
                    {t(key)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {form.policy === 'threshold' && (
            <Field
              id={fieldId('grading.thresholdPercent')}
              label={t('deepLink.threshold')}
              error={errors['grading.thresholdPercent']}
            >
              {(a11y) => (
                <input
                  {...a11y}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={100}
                  value={form.thresholdPercent}
                  onInput={text('thresholdPercent')}
                />
              )}
            </Field>
          )}
          <Field id={fieldId('grading.absent')} label={t('deepLink.absent')} error={errors['grading.absent']}>
            {(a11y) => (
              <select {...a11y} value={form.absent} onChange={text('absent')}>
                {Object.entries(ABSENT).map(([value, key]) => (
                  <option key={value} value={value}>
                    {t(key)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={fieldId('grading.scope')} label={t('deepLink.scope')} error={errors['grading.scope']}>
            {(a11y) => (
              <select {...a11y} value={form.scope} onChange={text('scope')}>
                {Object.entries(SCOPES).map(([value, key]) => (
                  <option key={value} value={value}>
                    {t(key)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {form.scope === 'cumulative' && (
            <Field id={fieldId('grading.bestOf')} label={t('deepLink.bestOf')} error={errors['grading.bestOf']}>
              {(a11y) => (
                <input
                  {...a11y}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={1000}
                  value={form.bestOf}
                  onInput={text('bestOf')}
                />
              )}
            </Field>
          )}
          <CheckField
            id={fieldId('grading.autoPost')}
            label={t('deepLink.autoPost')}
            error={errors['grading.autoPost']}
          >
            {(a11y) => <input {...a11y} type="checkbox" checked={form.autoPost} onChange={check('autoPost')} />}
          </CheckField>
        </>
      )}
    </fieldset>
  );
}
