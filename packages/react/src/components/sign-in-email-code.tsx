import type { SignInFirstFactor, SignInResource } from '@latchkey/js';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useLatchkey } from '../hooks.js';
import { placeError } from '../ui/placed-error.js';
import type { UI } from '../ui/use-ui.js';
import { CodeEntry, useCodeEntry } from './code-entry.js';

/** The server's resend countdown (sign-in/ and sign-up/email-code.ts): one code per sign-in or sign-up per 30 seconds. */
export const RESEND_SECONDS = 30;

/** The sign-in's email-code factor, when the instance offers one (email-code sign-in on). */
export function emailCodeFactor(signIn: SignInResource | null | undefined): SignInFirstFactor | null {
  return signIn?.supportedFirstFactors.find((f) => f.strategy === 'email_code') ?? null;
}

/** Seconds left until `until` (ms), ticking once a second while above zero. */
export function useCountdown(until: number): number {
  const left = () => Math.max(0, Math.ceil((until - Date.now()) / 1000));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    const timer = setInterval(() => {
      const s = left();
      setSeconds(s);
      if (s === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [until]);
  return seconds;
}

/**
 * The email-code step of <SignIn>: the code was sent to `factor.safeIdentifier`; the user types it
 * (or pastes it: the field takes the one-time-code autofill), may ask for another once the
 * countdown ends, or go back to the passkey form.
 */
export function EmailCodeStep({
  ui,
  factor,
  sentAt,
  onResent,
  onComplete,
  onBack,
}: {
  ui: UI;
  factor: SignInFirstFactor;
  sentAt: number;
  onResent: () => void;
  onComplete: (attempt: SignInResource) => Promise<void>;
  onBack: () => void;
}): ReactNode {
  const latchkey = useLatchkey();
  const { l } = ui;
  const entry = useCodeEntry({
    ui,
    formatMessage: l.signInEmailCode.codeFormat,
    resentMessage: l.signInEmailCode.resent,
    send: () => latchkey.signIn!.prepareFirstFactor({ strategy: 'email_code', ...(factor.emailAddressId ? { emailAddressId: factor.emailAddressId } : {}) }),
    onResent,
  });
  const { code, busy, error, notice, formError } = entry;
  const seconds = useCountdown(sentAt + RESEND_SECONDS * 1000);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const value = entry.checkedCode();
    if (value === null) return;
    entry.setBusy(true);
    entry.setError(null);
    try {
      await onComplete(await latchkey.signIn!.attemptFirstFactor({ strategy: 'email_code', code: value }));
    } catch (err) {
      entry.place(err);
    } finally {
      entry.setBusy(false);
    }
  }

  return (
    <div data-testid="sign-in-email-code">
      <div className={ui.cls('header')}>
        <h2 className={ui.cls('title')}>{l.signInEmailCode.title}</h2>
        <p className={ui.cls('subtitle')} data-testid="sign-in-email-code-sent-to">
          {ui.f(l.signInEmailCode.subtitle, { address: factor.safeIdentifier ?? '' })}
        </p>
      </div>
      <p className={ui.cls('alert')} role="alert" aria-live="assertive" data-testid="sign-in-email-code-error">
        {formError}
      </p>
      <CodeEntry
        ui={ui}
        inputId="lk-email-code"
        testId="sign-in-email-code"
        text={l.signInEmailCode}
        code={code}
        onCode={entry.setCode}
        error={error}
        busy={busy}
        seconds={seconds}
        onSubmit={onSubmit}
        onResend={entry.resend}
      />
      <p className={ui.cls('status')} role="status" data-testid="sign-in-email-code-status">
        {notice}
      </p>
      <div className={ui.cls('footer')}>
        <button type="button" className={ui.cls('footerLink', 'lk-link')} onClick={onBack} data-testid="sign-in-email-code-back">
          {l.signInEmailCode.back}
        </button>
      </div>
    </div>
  );
}
