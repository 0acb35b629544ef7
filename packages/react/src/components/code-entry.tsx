import type { FormEvent, ReactNode } from 'react';
import { Field } from '../ui/field.js';
import type { PlacedError } from '../ui/placed-error.js';
import type { UI } from '../ui/use-ui.js';

/**
 * The emailed-code form both <SignIn> and <SignUp> show: a one-time-code field (pasted or filled
 * by the browser's one-time-code autofill), the submit button, and a resend button that stays
 * disabled while `seconds` of the server's resend interval remain. Test ids are `<testId>-input`,
 * `-submit` and `-resend`.
 */
export function CodeEntry(p: {
  ui: UI;
  inputId: string;
  testId: string;
  text: { codeLabel: string; submit: string; resend: string; resendIn: string };
  code: string;
  onCode: (code: string) => void;
  error: PlacedError | null;
  busy: boolean;
  seconds: number;
  onSubmit: (event: FormEvent<HTMLFormElement>) => Promise<void>;
  onResend: () => Promise<void>;
}): ReactNode {
  const { ui } = p;
  return (
    <>
      <form onSubmit={(e) => void p.onSubmit(e)} noValidate className={ui.cls('form')}>
        <Field
          ui={ui}
          id={p.inputId}
          label={p.text.codeLabel}
          error={p.error?.field === 'code' ? p.error.message : undefined}
          testId={`${p.testId}-input`}
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          autoFocus
          value={p.code}
          onChange={(e) => p.onCode(e.target.value)}
        />
        <button type="submit" disabled={p.busy} className={ui.cls('formButtonPrimary', 'lk-button lk-block')} data-testid={`${p.testId}-submit`}>
          {p.text.submit}
        </button>
      </form>
      <button
        type="button"
        disabled={p.busy || p.seconds > 0}
        className={ui.cls('button', 'lk-button lk-block')}
        style={{ marginTop: 10 }}
        onClick={() => void p.onResend()}
        data-testid={`${p.testId}-resend`}
      >
        {p.seconds > 0 ? ui.f(p.text.resendIn, { seconds: p.seconds }) : p.text.resend}
      </button>
    </>
  );
}
