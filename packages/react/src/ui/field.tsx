import type { InputHTMLAttributes, ReactNode } from 'react';
import type { UI } from './use-ui.js';

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'className'> {
  ui: UI;
  id: string;
  label: string;
  /** Shown after the label, e.g. "optional". */
  note?: string | undefined;
  hint?: string | undefined;
  /** The error about this field; the input is marked invalid and describes itself with it. */
  error?: string | undefined;
  testId: string;
}

/** Label, input, hint and the field's own error, wired for screen readers. */
export function Field({ ui, id, label, note, hint, error, testId, ...input }: FieldProps): ReactNode {
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className={ui.cls('formField')}>
      <label htmlFor={id} className={ui.cls('formFieldLabel')}>
        <span>{label}</span>
        {note && <span className="lk-optional">{note}</span>}
      </label>
      <input id={id} className={ui.cls('formFieldInput')} aria-invalid={error ? true : undefined} aria-describedby={describedBy} data-testid={testId} {...input} />
      {hint && (
        <p id={`${id}-hint`} className={ui.cls('formFieldHint')} data-testid={`${testId}-hint`}>
          {hint}
        </p>
      )}
      <p id={`${id}-error`} className={ui.cls('formFieldError')} data-testid={`${testId}-error`}>
        {error ?? ''}
      </p>
    </div>
  );
}
