import { cancelPendingPasskeyRequest, isWebAuthnAutofillSupported, type SignInResource } from '@latchkey/js';
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useLatchkey, useSignIn } from '../hooks.js';
import { errorMessage, isSupersededRequest } from './error-message.js';

export interface SignInProps {
  /** Called once the new session is active. */
  afterSignIn?: () => void;
  /**
   * Offer passkeys in the username field's autofill (default true; only where the browser and
   * the instance's settings allow it). Turn off where a pending autofill request is unwanted.
   */
  autofill?: boolean;
}

type Busy = null | 'identifier' | 'passkey';

/**
 * Passkey sign-in: a username/email field (with passkey autofill) for identifier-first sign-in,
 * and a "Sign in with a passkey" button for discoverable sign-in.
 */
export function SignIn({ afterSignIn, autofill = true }: SignInProps): ReactNode {
  const latchkey = useLatchkey();
  const { isLoaded, setActive } = useSignIn();
  const id = useId();
  const [identifier, setIdentifier] = useState('');
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState('');
  // Bumped after a failed button flow: that flow aborted the autofill request, so start a new one.
  const [autofillRound, setAutofillRound] = useState(0);
  const afterRef = useRef(afterSignIn);
  useEffect(() => {
    afterRef.current = afterSignIn;
  });

  const settings = latchkey.environment?.userSettings;
  const passkeysOn = settings?.attributes.passkey.enabled ?? true;
  const autofillOn = autofill && passkeysOn && (settings?.passkeySettings.allowAutofill ?? true);
  const showButton = settings?.passkeySettings.showSignInButton ?? true;
  const appName = latchkey.environment?.displayConfig.applicationName;

  const finish = useCallback(
    async (attempt: SignInResource) => {
      if (attempt.status !== 'complete' || !attempt.createdSessionId) {
        setError('This account needs a sign-in step this form does not offer.');
        return;
      }
      await setActive({ session: attempt.createdSessionId });
      afterRef.current?.();
    },
    [setActive],
  );

  useEffect(() => {
    if (!isLoaded || !autofillOn) return;
    let mounted = true;
    void (async () => {
      if (!(await isWebAuthnAutofillSupported()) || !mounted) return;
      try {
        // Finish even if unmounted meanwhile: the user did pick a passkey, so sign them in.
        await finish(await latchkey.signIn!.authenticateWithPasskey({ flow: 'autofill' }));
      } catch (err) {
        if (mounted && !isSupersededRequest(err)) setError(errorMessage(err));
      }
    })();
    return () => {
      mounted = false;
      cancelPendingPasskeyRequest();
    };
  }, [isLoaded, autofillOn, autofillRound, latchkey, finish]);

  async function run(kind: Exclude<Busy, null>, flow: () => Promise<SignInResource>): Promise<void> {
    setBusy(kind);
    setError('');
    try {
      await finish(await flow());
    } catch (err) {
      if (!isSupersededRequest(err)) setError(errorMessage(err));
      setAutofillRound((n) => n + 1);
    } finally {
      setBusy(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const value = identifier.trim();
    if (!value) {
      setError('Enter your username or email address.');
      return;
    }
    void run('identifier', async () => {
      const signIn = latchkey.signIn!;
      await signIn.create({ identifier: value });
      return signIn.authenticateWithPasskey();
    });
  }

  if (!isLoaded) {
    return <div className="latchkey-sign-in" aria-busy="true" data-testid="sign-in-loading">Loading…</div>;
  }
  if (!passkeysOn) {
    return (
      <div className="latchkey-sign-in" data-testid="sign-in-disabled">
        <p>Passkey sign-in is turned off for this application.</p>
      </div>
    );
  }
  return (
    <div className="latchkey-sign-in" data-testid="sign-in">
      <h2 id={`${id}-title`}>{appName ? `Sign in to ${appName}` : 'Sign in'}</h2>
      <form onSubmit={onSubmit} aria-labelledby={`${id}-title`} noValidate>
        <label htmlFor={`${id}-identifier`}>Username or email address</label>
        <input
          id={`${id}-identifier`}
          name="identifier"
          type="text"
          // "webauthn" lets the browser list passkeys in this field's autofill (conditional UI).
          autoComplete="username webauthn"
          autoCapitalize="none"
          spellCheck={false}
          value={identifier}
          onChange={(e) => setIdentifier(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-error`}
          data-testid="sign-in-identifier"
        />
        <button type="submit" disabled={busy !== null} data-testid="sign-in-continue">
          Continue
        </button>
      </form>
      {showButton && (
        <button
          type="button"
          disabled={busy !== null}
          onClick={() => void run('passkey', () => latchkey.signIn!.authenticateWithPasskey({ flow: 'discoverable' }))}
          data-testid="sign-in-passkey"
        >
          Sign in with a passkey
        </button>
      )}
      <p className="latchkey-status" role="status" data-testid="sign-in-status">
        {busy ? 'Waiting for your passkey…' : ''}
      </p>
      <p id={`${id}-error`} className="latchkey-error" role="alert" aria-live="assertive" data-testid="sign-in-error">
        {error}
      </p>
    </div>
  );
}
