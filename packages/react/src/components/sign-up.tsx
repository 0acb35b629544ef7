import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useLatchkey, useSignUp } from '../hooks.js';
import { errorMessage } from './error-message.js';

export interface SignUpProps {
  /** Called once the new account's session is active. */
  afterSignUp?: () => void;
  /** Which identifiers to ask for; both by default (the user fills at least one). */
  fields?: { username?: boolean; emailAddress?: boolean };
}

type Field = 'username' | 'emailAddress';

/** The API names the offending field in `meta.paramName`; mark that input invalid. */
function fieldOf(err: unknown): Field | null {
  const param = (err as { errors?: Array<{ meta?: { paramName?: string } }> } | null)?.errors?.[0]?.meta?.paramName;
  if (param === 'username') return 'username';
  if (param === 'email_address') return 'emailAddress';
  return null;
}

/** Passkey-first sign-up: username and/or email, then the browser creates the passkey. */
export function SignUp({ afterSignUp, fields = { username: true, emailAddress: true } }: SignUpProps): ReactNode {
  const latchkey = useLatchkey();
  const { isLoaded, setActive } = useSignUp();
  const id = useId();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [badField, setBadField] = useState<Field | null>(null);
  const afterRef = useRef(afterSignUp);
  useEffect(() => {
    afterRef.current = afterSignUp;
  });

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const params = {
      username: fields.username ? username.trim() || undefined : undefined,
      emailAddress: fields.emailAddress ? email.trim() || undefined : undefined,
    };
    if (!params.username && !params.emailAddress) {
      setError(fields.username && fields.emailAddress ? 'Enter a username or an email address.' : 'This field is required.');
      setBadField(fields.username ? 'username' : 'emailAddress');
      return;
    }
    setBusy(true);
    setError('');
    setBadField(null);
    try {
      const signUp = await latchkey.signUp!.createWithPasskey(params);
      if (signUp.status !== 'complete' || !signUp.createdSessionId) {
        setError('Your account needs more information than this form asks for.');
        return;
      }
      await setActive({ session: signUp.createdSessionId });
      afterRef.current?.();
    } catch (err) {
      setError(errorMessage(err));
      setBadField(fieldOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (!isLoaded) {
    return <div className="latchkey-sign-up" aria-busy="true" data-testid="sign-up-loading">Loading…</div>;
  }
  if (latchkey.environment?.userSettings.attributes.passkey.enabled === false) {
    return (
      <div className="latchkey-sign-up" data-testid="sign-up-disabled">
        <p>Passkey sign-up is turned off for this application.</p>
      </div>
    );
  }
  const appName = latchkey.environment?.displayConfig.applicationName;
  const invalid = (f: Field): true | undefined => (badField === f ? true : undefined);
  return (
    <div className="latchkey-sign-up" data-testid="sign-up">
      <h2 id={`${id}-title`}>{appName ? `Create your ${appName} account` : 'Create your account'}</h2>
      <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} noValidate>
        {fields.username && (
          <>
            <label htmlFor={`${id}-username`}>Username</label>
            <input
              id={`${id}-username`}
              name="username"
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-invalid={invalid('username')}
              aria-describedby={`${id}-error`}
              data-testid="sign-up-username"
            />
          </>
        )}
        {fields.emailAddress && (
          <>
            <label htmlFor={`${id}-email`}>Email address</label>
            <input
              id={`${id}-email`}
              name="email_address"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={invalid('emailAddress')}
              aria-describedby={`${id}-error`}
              data-testid="sign-up-email"
            />
          </>
        )}
        <button type="submit" disabled={busy} data-testid="sign-up-submit">
          Create account with a passkey
        </button>
      </form>
      <p className="latchkey-status" role="status" data-testid="sign-up-status">
        {busy ? 'Waiting for your passkey…' : ''}
      </p>
      <p id={`${id}-error`} className="latchkey-error" role="alert" aria-live="assertive" data-testid="sign-up-error">
        {error}
      </p>
    </div>
  );
}
