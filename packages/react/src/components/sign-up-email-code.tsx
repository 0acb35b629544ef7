import type { SignUpResource } from '@latchkey/js';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useLatchkey } from '../hooks.js';
import { placeError } from '../ui/placed-error.js';
import type { UI } from '../ui/use-ui.js';
import { CodeEntry, useCodeEntry } from './code-entry.js';
import { RESEND_SECONDS, useCountdown } from './sign-in-email-code.js';


/**
 * The email-code step of <SignUp> (instance setting `emailVerification: 'required'`): the code was
 * sent to `address`; the user types it (the field takes the one-time-code autofill), may ask for
 * another once the countdown ends, or go back and use another address. Once the code is right the
 * browser's passkey prompt follows at once; if that is cancelled, a *Create passkey* button retries.
 */
export function SignUpEmailCodeStep({
  ui,
  address,
  sentAt,
  onResent,
  onComplete,
  onBack,
}: {
  ui: UI;
  address: string;
  sentAt: number;
  onResent: () => void;
  onComplete: (signUp: SignUpResource) => Promise<void>;
  onBack: () => void;
}): ReactNode {
  const latchkey = useLatchkey();
  const { l } = ui;
  const [verified, setVerified] = useState(false);
  const entry = useCodeEntry({
    ui,
    formatMessage: l.signUpEmailCode.codeFormat,
    resentMessage: l.signUpEmailCode.resent,
    send: () => latchkey.signUp!.prepareEmailAddressVerification({ strategy: 'email_code' }),
    onResent,
  });
  const { code, busy, error, notice, formError, setBusy, setError, setNotice } = entry;
  const seconds = useCountdown(sentAt + RESEND_SECONDS * 1000);

  async function createPasskey(): Promise<void> {
    setNotice(l.waitingForPasskey);
    try {
      await onComplete(await latchkey.signUp!.completeWithPasskey());
      setNotice('');
    } catch (err) {
      setNotice('');
      // A cancelled prompt, say: never about the code, which is verified by now.
      setError({ field: null, message: placeError(err, {}, l).message });
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const value = entry.checkedCode();
    if (value === null) return;
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      try {
        await latchkey.signUp!.attemptEmailAddressVerification({ code: value });
      } catch (err) {
        entry.place(err);
        return;
      }
      setVerified(true);
      await createPasskey();
    } finally {
      setBusy(false);
    }
  }

  async function retryPasskey(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await createPasskey();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div data-testid="sign-up-email-code">
      <div className={ui.cls('header')}>
        <h2 className={ui.cls('title')}>{verified ? l.signUpEmailCode.verifiedTitle : l.signUpEmailCode.title}</h2>
        <p className={ui.cls('subtitle')} data-testid="sign-up-email-code-sent-to">
          {verified ? l.signUpEmailCode.verifiedText : ui.f(l.signUpEmailCode.subtitle, { address })}
        </p>
      </div>
      <p className={ui.cls('alert')} role="alert" aria-live="assertive" data-testid="sign-up-email-code-error">
        {formError}
      </p>
      {verified ? (
        <button type="button" disabled={busy} className={ui.cls('formButtonPrimary', 'lk-button lk-block')} onClick={() => void retryPasskey()} data-testid="sign-up-email-code-passkey">
          {l.signUpEmailCode.createPasskey}
        </button>
      ) : (
        <CodeEntry
          ui={ui}
          inputId="lk-sign-up-email-code"
          testId="sign-up-email-code"
          text={l.signUpEmailCode}
          code={code}
          onCode={entry.setCode}
          error={error}
          busy={busy}
          seconds={seconds}
          onSubmit={onSubmit}
          onResend={entry.resend}
        />
      )}
      <p className={ui.cls('status')} role="status" data-testid="sign-up-email-code-status">
        {notice}
      </p>
      {!verified && (
        <div className={ui.cls('footer')}>
          <button type="button" className={ui.cls('footerLink', 'lk-link')} onClick={onBack} data-testid="sign-up-email-code-back">
            {l.signUpEmailCode.back}
          </button>
        </div>
      )}
    </div>
  );
}
