import type { TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DeepLinkingResponse, MeResponse } from '../api/contract';
import { isApiError, type ApiClient } from '../api/client';
import { BrandLogo } from '../branding';
import { CheckField, ErrorText, Field, describedBy } from '../components/field';
import { GradingFields } from './grading-fields';
import { RecordingFields } from '../recordings/recording-fields';
import { useDocumentTitle } from '../components/use-document-title';
import { withParts } from '../components/with-parts';
import { currentLocale, t, tp } from '../i18n';
import { formatSchedule, pickTimeZone, zonedTimeToUtc } from '../time';
import {
  DESCRIPTION_MAX,
  FIELD_PATHS,
  INITIAL_FORM,
  RETENTION_MAX,
  TITLE_MAX,
  fieldId,
  orderErrors,
  pathOf,
  toRequest,
  type ActivityForm,
  type FormErrors,
} from './activity-form';

interface Props {
  api: ApiClient;
  me: MeResponse;
}

type Submit = { state: 'idle' | 'saving' | 'failed'; message: string } | { state: 'returning'; message: string };

const browserTimeZone = (): string | undefined => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "Add a live class": the instructor's deep linking form; on success the LMS receives the signed item. */
export function DeepLinkingPage({ api, me }: Props) {
  useDocumentTitle(t('deepLink.title'));
  const timeZone = pickTimeZone(me.timezone, browserTimeZone());
  const [form, setForm] = useState<ActivityForm>(INITIAL_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const [submit, setSubmit] = useState<Submit>({ state: 'idle', message: '' });
  const [result, setResult] = useState<DeepLinkingResponse>();
  const formRef = useRef<HTMLFormElement>(null);
  const returnForm = useRef<HTMLFormElement>(null);

  // The deep linking response must reach the LMS as a form POST in this frame.
  useEffect(() => {
    if (result) returnForm.current?.submit();
  }, [result]);

  const set = <K extends keyof ActivityForm>(key: K, value: ActivityForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    // An edited field's message is out of date; the next submit checks it again.
    const path = pathOf(key);
    if (path in errors && Object.keys(errors).length === 1) setSubmit({ state: 'idle', message: '' });
    setErrors((e) => {
      if (!(path in e)) return e;
      const { [path]: _edited, ...rest } = e;
      return rest;
    });
  };
  const text =
    (key: keyof ActivityForm) => (e: TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
      set(key, e.currentTarget.value as never);
  const check = (key: keyof ActivityForm) => (e: TargetedEvent<HTMLInputElement>) =>
    set(key, e.currentTarget.checked as never);

  const showErrors = (found: FormErrors) => {
    setErrors(found);
    const count = Object.keys(found).length;
    setSubmit({ state: 'failed', message: tp('deepLink.invalid', count) });
    // Focus the first field with an error, once it is rendered.
    requestAnimationFrame(() => {
      const first = Object.keys(found)
        .map((path) => formRef.current?.querySelector<HTMLElement>(`#${fieldId(path)}`))
        .find(Boolean);
      first?.focus();
    });
  };

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (submit.state === 'saving' || submit.state === 'returning') return;
    const checked = toRequest(form, timeZone, me.recordingRetentionDays);
    if (!checked.ok) return showErrors(checked.errors);
    setErrors({});
    setSubmit({ state: 'saving', message: t('deepLink.savingStatus') });
    try {
      const created = await api.createDeepLink(checked.request);
      setSubmit({ state: 'returning', message: t('deepLink.saved') });
      setResult(created);
    } catch (err) {
      if (isApiError(err) && err.fields.length > 0) return showErrors(orderErrors(err.fields));
      const reason = isApiError(err) ? err.message : t('common.somethingWrong');
      setSubmit({ state: 'failed', message: t('deepLink.notSaved', { reason }) });
    }
  };

  const schedulePreview =
    submit.state !== 'returning' && form.date && form.time
      ? previewSchedule(form, timeZone, currentLocale())
      : undefined;
  const unknownErrors = Object.entries(errors).filter(([path]) => !(FIELD_PATHS as readonly string[]).includes(path));
  const busy = submit.state === 'saving' || submit.state === 'returning';

  return (
    <main>
      <BrandLogo me={me} />
      <h1>{t('deepLink.title')}</h1>
      <p>
        {t('deepLink.intro', { course: me.context?.title ?? t('deepLink.yourCourse'), platform: me.platform.name })}
      </p>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-describedby="submit-status">
        <fieldset>
          <legend>{t('deepLink.class')}</legend>
          <Field id={fieldId('title')} label={t('deepLink.titleLabel')} error={errors.title}>
            {(a11y) => (
              <input {...a11y} type="text" required maxLength={TITLE_MAX} value={form.title} onInput={text('title')} />
            )}
          </Field>
          <Field id={fieldId('description')} label={t('deepLink.description')} error={errors.description}>
            {(a11y) => (
              <textarea
                {...a11y}
                rows={3}
                maxLength={DESCRIPTION_MAX}
                value={form.description}
                onInput={text('description')}
              />
            )}
          </Field>
        </fieldset>

        <fieldset aria-describedby="schedule-hint">
          <legend>{t('deepLink.schedule')}</legend>
          <p id="schedule-hint" class="hint">
            {withParts(t('deepLink.scheduleHint'), { timeZone: <strong>{timeZone}</strong> })}
          </p>
          <div class="row">
            <div class="field">
              <label for={fieldId('startAt')}>{t('deepLink.startDate')}</label>
              <input
                id={fieldId('startAt')}
                type="date"
                value={form.date}
                onInput={text('date')}
                aria-invalid={errors.startAt ? 'true' : undefined}
                aria-describedby={describedBy(errors.startAt && 'startAt-error')}
              />
            </div>
            <div class="field">
              <label for="field-startAt-time">
                {t('deepLink.startTime')} <span class="tz">({timeZone})</span>
              </label>
              <input
                id="field-startAt-time"
                type="time"
                value={form.time}
                onInput={text('time')}
                aria-invalid={errors.startAt ? 'true' : undefined}
                aria-describedby={describedBy(errors.startAt && 'startAt-error')}
              />
            </div>
          </div>
          <ErrorText id="startAt-error" error={errors.startAt} />
          {schedulePreview && <p class="hint">{schedulePreview}</p>}
          <Field id={fieldId('durationMinutes')} label={t('deepLink.duration')} error={errors.durationMinutes}>
            {(a11y) => (
              <input
                {...a11y}
                type="number"
                inputMode="numeric"
                min={5}
                max={1440}
                step={5}
                value={form.durationMinutes}
                onInput={text('durationMinutes')}
              />
            )}
          </Field>
        </fieldset>

        <fieldset>
          <legend>{t('deepLink.room')}</legend>
          <CheckField id={fieldId('audioOnly')} label={t('deepLink.audioOnly')} error={errors.audioOnly}>
            {(a11y) => <input {...a11y} type="checkbox" checked={form.audioOnly} onChange={check('audioOnly')} />}
          </CheckField>
          <fieldset
            id={fieldId('publishers')}
            class="group"
            tabIndex={-1}
            aria-describedby={describedBy(errors.publishers && 'publishers-error')}
          >
            <legend>{t('deepLink.publishers')}</legend>
            {(['everyone', 'instructors'] as const).map((value) => (
              <div class="field check" key={value}>
                <input
                  id={`publishers-${value}`}
                  type="radio"
                  name="publishers"
                  value={value}
                  checked={form.publishers === value}
                  onChange={() => set('publishers', value)}
                />
                <label for={`publishers-${value}`}>{t(`deepLink.publishers.${value}`)}</label>
              </div>
            ))}
            <ErrorText id="publishers-error" error={errors.publishers} />
          </fieldset>
          <CheckField id={fieldId('waitingRoom')} label={t('deepLink.waitingRoom')} error={errors.waitingRoom}>
            {(a11y) => <input {...a11y} type="checkbox" checked={form.waitingRoom} onChange={check('waitingRoom')} />}
          </CheckField>
          <CheckField
            id={fieldId('joinBeforeInstructor')}
            label={t('deepLink.joinBeforeInstructor')}
            error={errors.joinBeforeInstructor}
          >
            {(a11y) => (
              <input
                {...a11y}
                type="checkbox"
                checked={form.joinBeforeInstructor}
                onChange={check('joinBeforeInstructor')}
              />
            )}
          </CheckField>
          <Field id={fieldId('maxParticipants')} label={t('deepLink.maxParticipants')} error={errors.maxParticipants}>
            {(a11y) => (
              <input
                {...a11y}
                type="number"
                inputMode="numeric"
                min={2}
                max={1000}
                value={form.maxParticipants}
                onInput={text('maxParticipants')}
              />
            )}
          </Field>
        </fieldset>

        <GradingFields form={form} errors={errors} text={text} check={check} />
        <RecordingFields
          form={form}
          errors={errors}
          set={set}
          text={text}
          retentionMax={me.recordingRetentionDays ?? RETENTION_MAX}
        />

        {unknownErrors.length > 0 && (
          <ul class="field-error">
            {unknownErrors.map(([path, message]) => (
              <li key={path}>
                {path}: {message}
              </li>
            ))}
          </ul>
        )}
        <div class="actions">
          <button type="submit" aria-disabled={busy ? 'true' : undefined}>
            {t(submit.state === 'saving' ? 'deepLink.saving' : 'deepLink.submit')}
          </button>
        </div>
        <p id="submit-status" role="status" aria-live="polite" class={submit.state === 'failed' ? 'field-error' : ''}>
          {submit.message}
        </p>
      </form>
      {result && (
        <form ref={returnForm} method="post" action={result.returnUrl} target="_self">
          <input type="hidden" name="JWT" value={result.jwt} />
          <p>
            {withParts(t('deepLink.returnManually'), {
              link: <button type="submit">{t('deepLink.returnButton')}</button>,
            })}
          </p>
        </form>
      )}
    </main>
  );
}

/** "Starts Tuesday, 14 October 2025, 14:00–15:00 CEST", to confirm what the date and time inputs mean. */
function previewSchedule(form: ActivityForm, timeZone: string, locale: string): string | undefined {
  const startAt = zonedTimeToUtc(form.date, form.time, timeZone);
  const minutes = Number(form.durationMinutes);
  if (!startAt || !Number.isInteger(minutes) || minutes < 5 || minutes > 24 * 60) return undefined;
  return t('deepLink.startsAt', { schedule: formatSchedule(startAt, minutes, timeZone, locale) });
}
