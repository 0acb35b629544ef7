import type { SignUpResource } from '@latchkey/js';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useLatchkey, useSession, useSignUp } from '../hooks.js';
import type { Appearance } from '../ui/appearance.js';
import { Field } from '../ui/field.js';
import type { LatchkeyLocalization } from '../ui/localization.js';
import { placeError, type PlacedError } from '../ui/placed-error.js';
import { UILink } from '../ui/ui-link.js';
import { useUI } from '../ui/use-ui.js';
import { displayName } from './display-name.js';
import { RecoveryCodesList } from './recovery/codes-list.js';
import { SignUpEmailCodeStep } from './sign-up-email-code.js';

export interface SignUpProps {
  /** Called once the new account's session is active. */
  afterSignUp?: () => void;
  /** Which identifiers to ask for; both by default (the user fills at least one). */
  fields?: { username?: boolean; emailAddress?: boolean };
  /** The sign-in page the footer links to (default: the provider's `signInUrl`, else `/sign-in`). */
  signInUrl?: string;
  appearance?: Appearance;
  localization?: LatchkeyLocalization;
}

type FieldKey = 'username' | 'emailAddress';
const FIELDS: Record<string, FieldKey> = { username: 'username', email_address: 'emailAddress' };

/**
 * Passkey-first sign-up: username and/or email, then the browser creates the passkey. Where the
 * instance requires email verification, the emailed code comes between the two.
 */
export function SignUp({ afterSignUp, fields = { username: true, emailAddress: true }, signInUrl, appearance, localization }: SignUpProps): ReactNode {
  const latchkey = useLatchkey();
  const ui = useUI({ appearance, localization });
  const { l } = ui;
  const { isLoaded, setActive } = useSignUp();
  const { session } = useSession();
  const id = useId();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlacedError | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  // The email-code step: when the code was (last) sent, and to which address.
  const [emailCode, setEmailCode] = useState<{ address: string; sentAt: number } | null>(null);
  const afterRef = useRef(afterSignUp);
  useEffect(() => {
    afterRef.current = afterSignUp;
  });
  const both = Boolean(fields.username && fields.emailAddress);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const params = {
      username: fields.username ? username.trim() || undefined : undefined,
      emailAddress: fields.emailAddress ? email.trim() || undefined : undefined,
    };
    if (!params.username && !params.emailAddress) {
      setError({ field: fields.username ? 'username' : 'emailAddress', message: both ? l.signUp.oneRequired : l.signUp.fieldRequired });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const signUp = await latchkey.signUp!.create(params);
      if (signUp.needsEmailVerification) {
        await signUp.prepareEmailAddressVerification({ strategy: 'email_code' });
        setEmailCode({ address: signUp.emailAddress ?? params.emailAddress ?? '', sentAt: Date.now() });
        return;
      }
      await finish(await signUp.completeWithPasskey());
    } catch (err) {
      setError(placeError(err, FIELDS, l));
    } finally {
      setBusy(false);
    }
  }

  /** After the passkey: activate the session, then recovery codes (if on), then `afterSignUp`. */
  async function finish(signUp: SignUpResource): Promise<void> {
    if (signUp.status !== 'complete' || !signUp.createdSessionId) {
      setEmailCode(null);
      setError({ field: null, message: l.signUp.needsMoreInformation });
      return;
    }
    await setActive({ session: signUp.createdSessionId });
    // The first passkey: where the instance offers recovery codes, make a set and show it once
    // before moving on. If that fails, the profile's recovery section can make them later.
    if (latchkey.environment?.userSettings.attributes.recoveryCode.enabled) {
      const made = await latchkey.user?.createRecoveryCodes().catch(() => null);
      if (made?.codes) {
        setEmailCode(null);
        setCodes(made.codes);
        return;
      }
    }
    setEmailCode(null);
    afterRef.current?.();
  }

  const root = ui.root('sign-up');
  if (!isLoaded) {
    return (
      <div {...root} aria-busy="true" data-testid="sign-up-loading">
        {l.loading}
      </div>
    );
  }
  if (latchkey.environment?.userSettings.attributes.passkey.enabled === false) {
    return (
      <div {...root} data-testid="sign-up-disabled">
        <p>{l.signUp.disabled}</p>
      </div>
    );
  }
  if (codes) {
    return (
      <div {...root} data-testid="sign-up-recovery-codes">
        <RecoveryCodesList ui={ui} codes={codes} onDone={() => (setCodes(null), afterRef.current?.())} />
      </div>
    );
  }
  if (emailCode) {
    return (
      <div {...root}>
        <SignUpEmailCodeStep
          ui={ui}
          address={emailCode.address}
          sentAt={emailCode.sentAt}
          onResent={() => setEmailCode({ ...emailCode, sentAt: Date.now() })}
          onComplete={finish}
          onBack={() => setEmailCode(null)}
        />
      </div>
    );
  }
  if (session && (latchkey.environment?.authConfig.singleSessionMode ?? true)) {
    return (
      <div {...root} data-testid="sign-up-signed-in">
        <p className={ui.cls('subtitle')}>{ui.f(l.signIn.alreadySignedIn, { name: displayName(session.user) })}</p>
        <button type="button" className={ui.cls('button', 'lk-button lk-block')} style={{ marginTop: 14 }} onClick={() => void latchkey.signOut()} data-testid="sign-up-sign-out">
          {l.signIn.signOut}
        </button>
      </div>
    );
  }
  const appName = latchkey.environment?.displayConfig.applicationName;
  const fieldError = (f: FieldKey): string | undefined => (error?.field === f ? error.message : undefined);
  const inUrl = signInUrl ?? ui.options.signInUrl ?? '/sign-in';
  return (
    <div {...root} data-testid="sign-up">
      <div className={ui.cls('header')}>
        <h2 id={`${id}-title`} className={ui.cls('title')}>
          {appName ? ui.f(l.signUp.title, { applicationName: appName }) : l.signUp.titleNoApp}
        </h2>
        {both && (
          <p className={ui.cls('subtitle')} data-testid="sign-up-hint">
            {l.signUp.subtitle}
          </p>
        )}
      </div>
      <p className={ui.cls('alert')} role="alert" aria-live="assertive" data-testid="sign-up-error">
        {error && !error.field ? error.message : ''}
      </p>
      <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} noValidate className={ui.cls('form')}>
        {fields.username && (
          <Field
            ui={ui}
            id={`${id}-username`}
            label={l.signUp.usernameLabel}
            note={both ? l.signUp.optional : undefined}
            hint={l.signUp.usernameHint}
            error={fieldError('username')}
            testId="sign-up-username"
            name="username"
            type="text"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        )}
        {fields.emailAddress && (
          <Field
            ui={ui}
            id={`${id}-email`}
            label={l.signUp.emailLabel}
            note={both ? l.signUp.optional : undefined}
            error={fieldError('emailAddress')}
            testId="sign-up-email"
            name="email_address"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
        <button type="submit" disabled={busy} className={ui.cls('formButtonPrimary', 'lk-button lk-block')} data-testid="sign-up-submit">
          {l.signUp.submit}
        </button>
      </form>
      <p className={ui.cls('status')} role="status" data-testid="sign-up-status">
        {busy ? l.waitingForPasskey : ''}
      </p>
      <div className={ui.cls('footer')}>
        {l.signUp.footerText}
        <UILink href={inUrl} className={ui.cls('footerLink')} routerPush={ui.options.routerPush} testId="sign-up-sign-in-link">
          {l.signUp.footerLink}
        </UILink>
      </div>
    </div>
  );
}
