import type { ComponentChildren } from 'preact';

/** Attributes that tie a control to its label, hint and error message. */
export interface ControlA11y {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: 'true';
}

interface FieldProps {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string;
  /** Renders the control with the given attributes spread onto it. */
  children: (a11y: ControlA11y) => ComponentChildren;
}

/** Space-separated ids of the elements that describe a control, or undefined when there are none. */
export function describedBy(...ids: Array<string | false | undefined>): string | undefined {
  const list = ids.filter((id): id is string => Boolean(id));
  return list.length > 0 ? list.join(' ') : undefined;
}

function a11yFor(id: string, hint: unknown, error: string | undefined): ControlA11y {
  return {
    id,
    'aria-describedby': describedBy(hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined),
    'aria-invalid': error ? 'true' : undefined,
  };
}

export function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} class="field-error">
      {error}
    </p>
  ) : null;
}

/** A label above its control (text, number, date, select, textarea), with an optional hint and error. */
export function Field({ id, label, hint, error, children }: FieldProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {children(a11yFor(id, hint, error))}
      <ErrorText id={`${id}-error`} error={error} />
    </div>
  );
}

/** A checkbox with its label to the right, and an optional hint and error below. */
export function CheckField({ id, label, hint, error, children }: FieldProps) {
  return (
    <div class="field check">
      {children(a11yFor(id, hint, error))}
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <ErrorText id={`${id}-error`} error={error} />
    </div>
  );
}
