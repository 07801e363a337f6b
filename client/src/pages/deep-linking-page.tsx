import type { TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DeepLinkingResponse, MeResponse } from '../api/contract';
import { isApiError, type ApiClient } from '../api/client';
import { CheckField, ErrorText, Field, describedBy } from '../components/field';
import { useDocumentTitle } from '../components/use-document-title';
import { formatSchedule, pickLocale, pickTimeZone, zonedTimeToUtc } from '../time';
import {
  DESCRIPTION_MAX,
  FIELD_PATHS,
  INITIAL_FORM,
  TITLE_MAX,
  fieldId,
  orderErrors,
  pathOf,
  toRequest,
  type ActivityForm,
  type FormErrors,
  type GradingPolicy,
} from './activity-form';

interface Props {
  api: ApiClient;
  me: MeResponse;
}

type Submit = { state: 'idle' | 'saving' | 'failed'; message: string } | { state: 'returning'; message: string };

const POLICIES: ReadonlyArray<{ value: GradingPolicy; label: string }> = [
  { value: 'attended', label: 'Full points for attending' },
  { value: 'proportional', label: 'Points in proportion to time attended' },
  { value: 'threshold', label: 'Full points above a share of the class' },
];

const browserTimeZone = (): string | undefined => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "Add a live class": the instructor's deep linking form; on success the LMS receives the signed item. */
export function DeepLinkingPage({ api, me }: Props) {
  useDocumentTitle('Add a live class');
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
    setSubmit({
      state: 'failed',
      message: `The activity was not saved: ${count} ${count === 1 ? 'field needs' : 'fields need'} attention.`,
    });
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
    const checked = toRequest(form, timeZone);
    if (!checked.ok) return showErrors(checked.errors);
    setErrors({});
    setSubmit({ state: 'saving', message: 'Saving the activity…' });
    try {
      const created = await api.createDeepLink(checked.request);
      setSubmit({ state: 'returning', message: 'Activity saved. Returning to your course…' });
      setResult(created);
    } catch (err) {
      if (isApiError(err) && err.fields.length > 0) return showErrors(orderErrors(err.fields));
      const message = isApiError(err) ? err.message : 'Something went wrong.';
      setSubmit({ state: 'failed', message: `The activity was not saved. ${message}` });
    }
  };

  const schedulePreview =
    submit.state !== 'returning' && form.date && form.time
      ? previewSchedule(form, timeZone, pickLocale(me.locale))
      : undefined;
  const unknownErrors = Object.entries(errors).filter(([path]) => !(FIELD_PATHS as readonly string[]).includes(path));
  const busy = submit.state === 'saving' || submit.state === 'returning';

  return (
    <main>
      <h1>Add a live class</h1>
      <p>
        The class will appear in {me.context?.title ?? 'your course'} on {me.platform.name}.
      </p>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-describedby="submit-status">
        <fieldset>
          <legend>Class</legend>
          <Field id={fieldId('title')} label="Title (required)" error={errors.title}>
            {(a11y) => (
              <input {...a11y} type="text" required maxLength={TITLE_MAX} value={form.title} onInput={text('title')} />
            )}
          </Field>
          <Field id={fieldId('description')} label="Description" error={errors.description}>
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
          <legend>Schedule</legend>
          <p id="schedule-hint" class="hint">
            Times are in your timezone, <strong>{timeZone}</strong>. Leave the date and time empty for a class without a
            schedule.
          </p>
          <div class="row">
            <div class="field">
              <label for={fieldId('startAt')}>Start date</label>
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
                Start time <span class="tz">({timeZone})</span>
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
          <Field id={fieldId('durationMinutes')} label="Duration in minutes" error={errors.durationMinutes}>
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
          <legend>Room</legend>
          <CheckField id={fieldId('audioOnly')} label="Audio only (no cameras)" error={errors.audioOnly}>
            {(a11y) => <input {...a11y} type="checkbox" checked={form.audioOnly} onChange={check('audioOnly')} />}
          </CheckField>
          <fieldset
            id={fieldId('publishers')}
            class="group"
            tabIndex={-1}
            aria-describedby={describedBy(errors.publishers && 'publishers-error')}
          >
            <legend>Who may speak and share video</legend>
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
                <label for={`publishers-${value}`}>
                  {value === 'everyone' ? 'Everyone' : 'Instructors only (webinar: participants listen and watch)'}
                </label>
              </div>
            ))}
            <ErrorText id="publishers-error" error={errors.publishers} />
          </fieldset>
          <CheckField
            id={fieldId('waitingRoom')}
            label="Waiting room (an instructor admits each participant)"
            error={errors.waitingRoom}
          >
            {(a11y) => <input {...a11y} type="checkbox" checked={form.waitingRoom} onChange={check('waitingRoom')} />}
          </CheckField>
          <CheckField
            id={fieldId('joinBeforeInstructor')}
            label="Participants may join before the instructor"
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
          <Field id={fieldId('maxParticipants')} label="Maximum participants" error={errors.maxParticipants}>
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

        <fieldset>
          <legend>Attendance grade</legend>
          <CheckField
            id={fieldId('grading.enabled')}
            label="Send an attendance grade to the gradebook"
            error={errors['grading.enabled']}
          >
            {(a11y) => (
              <input {...a11y} type="checkbox" checked={form.gradingEnabled} onChange={check('gradingEnabled')} />
            )}
          </CheckField>
          {form.gradingEnabled && (
            <>
              <Field id={fieldId('grading.maxPoints')} label="Maximum points" error={errors['grading.maxPoints']}>
                {(a11y) => (
                  <input
                    {...a11y}
                    type="number"
                    inputMode="decimal"
                    min={0}
                    max={10000}
                    step="any"
                    value={form.maxPoints}
                    onInput={text('maxPoints')}
                  />
                )}
              </Field>
              <Field
                id={fieldId('grading.policy')}
                label="How attendance becomes points"
                error={errors['grading.policy']}
              >
                {(a11y) => (
                  <select {...a11y} value={form.policy} onChange={text('policy')}>
                    {POLICIES.map((p) => (
                      <option key={p.value} value={p.value}>
                        {p.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {form.policy === 'threshold' && (
                <Field
                  id={fieldId('grading.thresholdPercent')}
                  label="Share of the class to attend, in percent"
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
            </>
          )}
        </fieldset>

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
            {submit.state === 'saving' ? 'Saving…' : 'Add to course'}
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
            If your course does not open by itself, <button type="submit">return to your course</button>.
          </p>
        </form>
      )}
    </main>
  );
}

/** "Starts Tuesday, 14 October 2025, 14:00–15:00 CEST", to confirm what the date and time inputs mean. */
function previewSchedule(form: ActivityForm, timeZone: string, locale: string | undefined): string | undefined {
  const startAt = zonedTimeToUtc(form.date, form.time, timeZone);
  const minutes = Number(form.durationMinutes);
  if (!startAt || !Number.isInteger(minutes) || minutes < 5 || minutes > 24 * 60) return undefined;
  return `Starts ${formatSchedule(startAt, minutes, timeZone, locale)}`;
}
