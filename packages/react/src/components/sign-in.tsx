import { cancelPendingPasskeyRequest, isWebAuthnAutofillSupported, type SignInResource } from '@latchkey/js';
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useLatchkey, useSession, useSignIn } from '../hooks.js';
import type { Appearance } from '../ui/appearance.js';
import { Field } from '../ui/field.js';
import type { LatchkeyLocalization } from '../ui/localization.js';
import { placeError, type PlacedError } from '../ui/placed-error.js';
import { UILink } from '../ui/ui-link.js';
import { useUI } from '../ui/use-ui.js';
import { displayName } from './display-name.js';
import { isSupersededRequest } from './error-message.js';
import { AddPasskeyStep } from './add-passkey-step.js';
import { EmailCodeStep, emailCodeFactor } from './sign-in-email-code.js';
import { RecoveryCodeStep } from './recovery/recovery-code-step.js';
import { useLatchkeyContext } from '../context.js';

export interface SignInProps {
  /** Called once the new session is active. */
  afterSignIn?: () => void;
  /**
   * Offer passkeys in the username field's autofill (default true; only where the browser and
   * the instance's settings allow it). Turn off where a pending autofill request is unwanted.
   */
  autofill?: boolean;
  /** The sign-up page the footer links to (default: the provider's `signUpUrl`, else `/sign-up`). */
  signUpUrl?: string;
  appearance?: Appearance;
  localization?: LatchkeyLocalization;
}

type Busy = null | 'identifier' | 'passkey';
const FIELDS = { identifier: 'identifier' };

/**
 * Passkey sign-in: a username/email field (with passkey autofill) for identifier-first sign-in,
 * and a "Sign in with a passkey" button for discoverable sign-in. In single-session mode a
 * signed-in browser sees who is signed in instead of the form (the server would refuse it).
 */
export function SignIn({ afterSignIn, autofill = true, signUpUrl, appearance, localization }: SignInProps): ReactNode {
  const latchkey = useLatchkey();
  const ui = useUI({ appearance, localization });
  const { l } = ui;
  const { isLoaded, setActive } = useSignIn();
  const { session } = useSession();
  const { snapshot } = useLatchkeyContext('SignIn');
  const id = useId();
  const [identifier, setIdentifier] = useState('');
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<PlacedError | null>(null);
  // Bumped after a failed button flow: that flow aborted the autofill request, so start a new one.
  const [autofillRound, setAutofillRound] = useState(0);
  // Email-code sign-in (sign-in-email-code.tsx): the factor the last identifier-first sign-in
  // offered, and the step shown instead of the form.
  const [codeFactor, setCodeFactor] = useState<ReturnType<typeof emailCodeFactor>>(null);
  const [step, setStep] = useState<{ name: 'email-code'; sentAt: number } | { name: 'add-passkey' } | null>(null);
  const afterRef = useRef(afterSignIn);
  useEffect(() => {
    afterRef.current = afterSignIn;
  });

  const env = latchkey.environment;
  const settings = env?.userSettings;
  const passkeysOn = settings?.attributes.passkey.enabled ?? true;
  const singleSession = env?.authConfig.singleSessionMode ?? true;
  const blockedBySession = Boolean(session) && singleSession;
  // Recovery codes (docs/recovery.md): the "use a recovery code" step, and the "add a passkey
  // now" step of the pending session it makes. Neither runs a passkey autofill request.
  const recoveryOn = settings?.attributes.recoveryCode.enabled ?? false;
  const [recovering, setRecovering] = useState(false);
  const pending = snapshot.session?.status === 'pending' ? snapshot.session : null;
  const autofillOn = autofill && passkeysOn && !blockedBySession && !recovering && !pending && (settings?.passkeySettings.allowAutofill ?? true);
  const showButton = settings?.passkeySettings.showSignInButton ?? true;
  const appName = env?.displayConfig.applicationName;
  const lRef = useRef(l);
  lRef.current = l;

  const finish = useCallback(
    async (attempt: SignInResource) => {
      if (attempt.status !== 'complete' || !attempt.createdSessionId) {
        setError({ field: null, message: lRef.current.signIn.needsMoreSteps });
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
        if (mounted && !isSupersededRequest(err)) setError(placeError(err, FIELDS, lRef.current));
      }
    })();
    return () => {
      mounted = false;
      cancelPendingPasskeyRequest();
    };
  }, [isLoaded, autofillOn, autofillRound, latchkey, finish]);

  async function run(kind: Exclude<Busy, null>, flow: () => Promise<SignInResource>): Promise<void> {
    setBusy(kind);
    setError(null);
    try {
      await finish(await flow());
    } catch (err) {
      if (!isSupersededRequest(err)) setError(placeError(err, FIELDS, l));
      setAutofillRound((n) => n + 1);
    } finally {
      setBusy(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const value = identifier.trim();
    if (!value) {
      setError({ field: 'identifier', message: l.signIn.identifierRequired });
      return;
    }
    void run('identifier', async () => {
      const signIn = latchkey.signIn!;
      await signIn.create({ identifier: value });
      // Offered below the form if the passkey does not work out (lost device, no passkey here).
      setCodeFactor(emailCodeFactor(signIn));
      return signIn.authenticateWithPasskey();
    });
  }

  async function sendEmailCode(): Promise<void> {
    setBusy('identifier');
    setError(null);
    try {
      cancelPendingPasskeyRequest();
      await latchkey.signIn!.prepareFirstFactor({ strategy: 'email_code', ...(codeFactor?.emailAddressId ? { emailAddressId: codeFactor.emailAddressId } : {}) });
      setStep({ name: 'email-code', sentAt: Date.now() });
    } catch (err) {
      setError(placeError(err, FIELDS, l));
    } finally {
      setBusy(null);
    }
  }

  async function finishEmailCode(attempt: SignInResource): Promise<void> {
    if (attempt.status !== 'complete' || !attempt.createdSessionId) {
      setError({ field: null, message: l.signIn.needsMoreSteps });
      return;
    }
    await setActive({ session: attempt.createdSessionId });
    // The mailbox got them in; offer a passkey so it need not next time.
    setStep({ name: 'add-passkey' });
  }

  const root = ui.root('sign-in');
  if (!isLoaded) {
    return (
      <div {...root} aria-busy="true" data-testid="sign-in-loading">
        {l.loading}
      </div>
    );
  }
  if (!passkeysOn) {
    return (
      <div {...root} data-testid="sign-in-disabled">
        <p>{l.signIn.disabled}</p>
      </div>
    );
  }
  if (step?.name === 'add-passkey' && latchkey.user) {
    const t = l.signInEmailCode;
    // The mailbox got them in; a passkey should next time. The browser may add one by itself.
    return (
      <div {...root} data-testid="sign-in">
        <AddPasskeyStep
          ui={ui}
          user={latchkey.user}
          testId="sign-in-add-passkey"
          texts={{
            title: t.addPasskeyTitle,
            text: t.addPasskeyText,
            add: t.addPasskey,
            notNow: t.notNow,
            addedTitle: t.passkeyAddedTitle,
            addedText: t.passkeyAddedText,
            upgradedText: t.passkeyUpgradedText,
            continue: t.continue,
          }}
          upgrade
          confirm
          skip
          onDone={() => afterRef.current?.()}
        />
      </div>
    );
  }
  if (step?.name === 'email-code' && codeFactor) {
    return (
      <div {...root} data-testid="sign-in">
        <EmailCodeStep
          ui={ui}
          factor={codeFactor}
          sentAt={step.sentAt}
          onResent={() => setStep({ name: 'email-code', sentAt: Date.now() })}
          onComplete={finishEmailCode}
          onBack={() => {
            setStep(null);
            setAutofillRound((n) => n + 1);
          }}
        />
      </div>
    );
  }
  if (pending) {
    return (
      <div {...root} data-testid="sign-in-recovery">
        {/* A passkey is the only way on: no skip, no automatic upgrade (the server refuses it too). */}
        <AddPasskeyStep
          ui={ui}
          user={pending.user!}
          testId="recovery-add-passkey"
          texts={{ title: l.recovery.addPasskeyTitle, text: ui.f(l.recovery.addPasskeyText, { name: displayName(pending.user) }), add: l.recovery.addPasskey, signOut: l.recovery.signOut }}
          onSignOut={() => void latchkey.signOut()}
          onDone={() => afterRef.current?.()}
        />
      </div>
    );
  }
  if (recovering) {
    return (
      <div {...root} data-testid="sign-in-recovery">
        <RecoveryCodeStep
          ui={ui}
          initialIdentifier={identifier}
          onBack={() => setRecovering(false)}
          onComplete={async (attempt) => {
            if (attempt.status !== 'complete' || !attempt.createdSessionId) throw new Error(l.signIn.needsMoreSteps);
            // A pending session: this component then shows the "add a passkey now" step.
            await setActive({ session: attempt.createdSessionId });
            setRecovering(false);
          }}
        />
      </div>
    );
  }
  if (blockedBySession) {
    return (
      <div {...root} data-testid="sign-in-signed-in">
        <p className={ui.cls('subtitle')}>{ui.f(l.signIn.alreadySignedIn, { name: displayName(session!.user) })}</p>
        <button type="button" className={ui.cls('button', 'lk-button lk-block')} style={{ marginTop: 14 }} onClick={() => void latchkey.signOut()} data-testid="sign-in-sign-out">
          {l.signIn.signOut}
        </button>
      </div>
    );
  }
  const title = session ? l.signIn.addAccountTitle : appName ? ui.f(l.signIn.title, { applicationName: appName }) : l.signIn.titleNoApp;
  const formError = error && !error.field ? error.message : '';
  const upUrl = signUpUrl ?? ui.options.signUpUrl ?? '/sign-up';
  return (
    <div {...root} data-testid="sign-in">
      <div className={ui.cls('header')}>
        <h2 id={`${id}-title`} className={ui.cls('title')}>
          {title}
        </h2>
        <p className={ui.cls('subtitle')}>{l.signIn.subtitle}</p>
      </div>
      <p className={ui.cls('alert')} role="alert" aria-live="assertive" data-testid="sign-in-error">
        {formError}
      </p>
      <form onSubmit={onSubmit} aria-labelledby={`${id}-title`} noValidate className={ui.cls('form')}>
        <Field
          ui={ui}
          id={`${id}-identifier`}
          label={l.signIn.identifierLabel}
          error={error?.field === 'identifier' ? error.message : undefined}
          testId="sign-in-identifier"
          name="identifier"
          type="text"
          // "webauthn" lets the browser list passkeys in this field's autofill (conditional UI).
          autoComplete="username webauthn"
          autoCapitalize="none"
          spellCheck={false}
          value={identifier}
          onChange={(e) => {
            setIdentifier(e.target.value);
            setCodeFactor(null);
          }}
        />
        <button type="submit" disabled={busy !== null} className={ui.cls('formButtonPrimary', 'lk-button lk-block')} data-testid="sign-in-continue">
          {l.signIn.continue}
        </button>
      </form>
      {codeFactor && (
        <button type="button" disabled={busy !== null} className={ui.cls('button', 'lk-button lk-block')} style={{ marginTop: 10 }} onClick={() => void sendEmailCode()} data-testid="sign-in-use-email-code">
          {ui.f(l.signInEmailCode.useCode, { address: codeFactor.safeIdentifier ?? '' })}
        </button>
      )}
      {showButton && (
        <>
          <div className={ui.cls('divider')}>{l.signIn.divider}</div>
          <button
            type="button"
            disabled={busy !== null}
            className={ui.cls('button', 'lk-button lk-block')}
            onClick={() => void run('passkey', () => latchkey.signIn!.authenticateWithPasskey({ flow: 'discoverable' }))}
            data-testid="sign-in-passkey"
          >
            {l.signIn.passkeyButton}
          </button>
        </>
      )}
      <p className={ui.cls('status')} role="status" data-testid="sign-in-status">
        {busy ? l.waitingForPasskey : ''}
      </p>
      {recoveryOn && (
        <p className={ui.cls('status')} style={{ textAlign: 'center' }}>
          <button type="button" className="lk-link lk-link-button" onClick={() => setRecovering(true)} data-testid="sign-in-use-recovery-code">
            {l.recovery.useCode}
          </button>
        </p>
      )}
      <div className={ui.cls('footer')}>
        {l.signIn.footerText}
        <UILink href={upUrl} className={ui.cls('footerLink')} routerPush={ui.options.routerPush} testId="sign-in-sign-up-link">
          {l.signIn.footerLink}
        </UILink>
      </div>
    </div>
  );
}
