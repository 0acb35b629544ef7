import type { SignInResource } from '@latchkey/js';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useLatchkey } from '../../hooks.js';
import { Field } from '../../ui/field.js';
import { placeError, type PlacedError } from '../../ui/placed-error.js';
import { describeError } from '../error-message.js';
import type { UI } from '../../ui/use-ui.js';

const FIELDS = { identifier: 'identifier', code: 'code' };

/**
 * The SignIn component's "use a recovery code" step: identifier and code, then
 * `attemptFirstFactor({ strategy: 'recovery_code' })`. A complete attempt gives a `pending`
 * session, which `onComplete` activates; SignIn then shows the "add a passkey now" step.
 */
export function RecoveryCodeStep({
  ui,
  initialIdentifier,
  onComplete,
  onBack,
}: {
  ui: UI;
  initialIdentifier: string;
  onComplete: (attempt: SignInResource) => Promise<void>;
  onBack: () => void;
}): ReactNode {
  const latchkey = useLatchkey();
  const { l } = ui;
  const id = useId();
  const [identifier, setIdentifier] = useState(initialIdentifier);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlacedError | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (!identifier.trim()) return setError({ field: 'identifier', message: l.signIn.identifierRequired });
    if (!code.trim()) return setError({ field: 'code', message: l.recovery.codeRequired });
    setBusy(true);
    setError(null);
    try {
      const signIn = latchkey.signIn!;
      await signIn.create({ identifier: identifier.trim() });
      await onComplete(await signIn.attemptFirstFactor({ strategy: 'recovery_code', code: code.trim() }));
    } catch (err) {
      const placed = placeError(err, FIELDS, l);
      // The catalogue's text for form_code_incorrect is about emailed codes; say what this one means.
      setError(describeError(err).code === 'form_code_incorrect' ? { field: 'code', message: l.recovery.codeIncorrect } : placed);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div className={ui.cls('header')}>
        <h2 id={`${id}-title`} className={ui.cls('title')}>
          {l.recovery.title}
        </h2>
        <p className={ui.cls('subtitle')}>{l.recovery.subtitle}</p>
      </div>
      <p className={ui.cls('alert')} role="alert" aria-live="assertive" data-testid="recovery-error">
        {error && !error.field ? error.message : ''}
      </p>
      <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} noValidate className={ui.cls('form')}>
        <Field
          ui={ui}
          id={`${id}-identifier`}
          label={l.signIn.identifierLabel}
          error={error?.field === 'identifier' ? error.message : undefined}
          testId="recovery-identifier"
          name="identifier"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={identifier}
          onChange={(e) => setIdentifier(e.target.value)}
        />
        <Field
          ui={ui}
          id={`${id}-code`}
          label={l.recovery.codeLabel}
          hint={l.recovery.codeHint}
          error={error?.field === 'code' ? error.message : undefined}
          testId="recovery-code"
          name="code"
          type="text"
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" disabled={busy} className={ui.cls('formButtonPrimary', 'lk-button lk-block')} data-testid="recovery-submit">
          {l.recovery.submit}
        </button>
      </form>
      <div className={ui.cls('footer')}>
        <button type="button" className="lk-link lk-link-button" onClick={onBack} data-testid="recovery-back">
          {l.recovery.back}
        </button>
      </div>
    </>
  );
}
