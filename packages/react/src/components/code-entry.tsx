import { useState, type FormEvent, type ReactNode } from 'react';
import { Field } from '../ui/field.js';
import { placeError, type PlacedError } from '../ui/placed-error.js';
import type { UI } from '../ui/use-ui.js';

const FIELDS = { code: 'code' };

/**
 * The state both email-code steps keep: the typed code, busy, the placed error and the status
 * notice; `checkedCode()` gives the six digits (spaces dropped) or places `formatMessage` on the
 * field; `resend()` asks `send` for a new code and says `resentMessage`.
 */
export function useCodeEntry(o: { ui: UI; formatMessage: string; resentMessage: string; send: () => Promise<unknown>; onResent: () => void }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlacedError | null>(null);
  const [notice, setNotice] = useState('');
  const place = (err: unknown) => setError(placeError(err, FIELDS, o.ui.l));

  function checkedCode(): string | null {
    const value = code.replace(/\s+/g, '');
    if (/^\d{6}$/.test(value)) return value;
    setError({ field: 'code', message: o.formatMessage });
    return null;
  }

  async function resend(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await o.send();
      setCode('');
      setNotice(o.resentMessage);
      o.onResent();
    } catch (err) {
      place(err);
    } finally {
      setBusy(false);
    }
  }

  const formError = error && !error.field ? error.message : '';
  return { code, setCode, busy, setBusy, error, setError, place, notice, setNotice, checkedCode, resend, formError };
}

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
