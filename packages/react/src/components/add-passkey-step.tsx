import { cancelPendingPasskeyRequest, isWebAuthnConditionalCreateSupported, type UserResource } from '@latchkey/js';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { UI } from '../ui/use-ui.js';
import { errorMessage } from './error-message.js';

export interface AddPasskeyStepProps {
  ui: UI;
  /** Whose passkey: the signed-in user, or a recovery session's user (not yet signed in). */
  user: UserResource;
  /** `data-testid` of the step; its parts add `-error`, `-create`, `-skip`, `-continue`, `-sign-out`. */
  testId: string;
  /** The step's words (from the localization of the component that shows it). */
  texts: {
    title: string;
    text: string;
    add: string;
    notNow?: string;
    signOut?: string;
    addedTitle?: string;
    addedText?: string;
    upgradedText?: string;
    continue?: string;
  };
  /**
   * Try the automatic upgrade first (WebAuthn conditional create) where the browser has it: if its
   * password manager creates the passkey without a prompt, the step says so and offers
   * `continue`. Meanwhile, and when it declines, the step shows its button as usual; pressing it
   * aborts the pending upgrade (one WebAuthn request at a time). Never for a recovery session.
   */
  upgrade?: boolean;
  /** After a passkey was added: show "Passkey added" with a Continue button (else `onDone` at once). */
  confirm?: boolean;
  /** A "Not now" button (`onDone` without a passkey, `texts.notNow`); absent where a passkey is the only way on. */
  skip?: boolean;
  /** A "Sign out instead" link (`texts.signOut`). */
  onSignOut?: (() => void) | undefined;
  onDone?: (() => void) | undefined;
}

type Added = null | 'prompt' | 'upgrade';

/**
 * "Add a passkey now": after an email-code sign-in (skippable, with the automatic upgrade) and
 * after a recovery-code sign-in (a passkey is the only way on; the server then makes the session
 * active and the provider re-renders as signed in).
 */
export function AddPasskeyStep(p: AddPasskeyStepProps): ReactNode {
  const { ui, user, texts: t } = p;
  const { l } = ui;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [added, setAdded] = useState<Added>(null);
  const upgrading = useRef(false);
  const done = useRef(p.onDone);
  done.current = p.onDone;

  function finished(how: Exclude<Added, null>): void {
    if (p.confirm) setAdded(how);
    else done.current?.();
  }

  useEffect(() => {
    if (!p.upgrade) return;
    let live = true;
    void (async () => {
      if (!(await isWebAuthnConditionalCreateSupported()) || !live) return;
      upgrading.current = true;
      try {
        await user.createPasskey({ mediation: 'conditional' });
        if (live) finished('upgrade');
      } catch {
        // Declined, never answered, or aborted by the button: the step with its button is the way.
      } finally {
        upgrading.current = false;
      }
    })();
    return () => {
      live = false;
      // Leaving the step (Not now, Continue) ends a pending upgrade; nothing else is pending then.
      if (upgrading.current) cancelPendingPasskeyRequest();
    };
    // Once per step: the upgrade is offered when the step appears.
  }, []);

  async function add(): Promise<void> {
    setBusy(true);
    setError('');
    try {
      // Starting this request aborts a pending upgrade (webauthn/ceremony.ts in @latchkey/js).
      await user.createPasskey();
      finished('prompt');
    } catch (err) {
      setError(errorMessage(err, l.errors));
    } finally {
      setBusy(false);
    }
  }

  const id = p.testId;
  return (
    <div data-testid={id} data-added={added ?? undefined}>
      <div className={ui.cls('header')}>
        <h2 className={ui.cls('title')}>{added ? t.addedTitle : t.title}</h2>
        <p className={ui.cls('subtitle')}>{added === 'upgrade' ? t.upgradedText : added ? t.addedText : t.text}</p>
      </div>
      <p className={ui.cls('alert')} role="alert" aria-live="assertive" data-testid={`${id}-error`}>
        {error}
      </p>
      {added ? (
        <button type="button" className={ui.cls('formButtonPrimary', 'lk-button lk-block')} onClick={() => done.current?.()} data-testid={`${id}-continue`}>
          {t.continue}
        </button>
      ) : (
        <>
          <button type="button" disabled={busy} className={ui.cls('formButtonPrimary', 'lk-button lk-block')} onClick={() => void add()} data-testid={`${id}-create`}>
            {t.add}
          </button>
          {p.skip && (
            <button type="button" disabled={busy} className={ui.cls('button', 'lk-button lk-block')} style={{ marginTop: 10 }} onClick={() => done.current?.()} data-testid={`${id}-skip`}>
              {t.notNow}
            </button>
          )}
        </>
      )}
      <p className={ui.cls('status')} role="status">
        {busy ? l.waitingForPasskey : ''}
      </p>
      {p.onSignOut && !added && (
        <div className={ui.cls('footer')}>
          <button type="button" className="lk-link lk-link-button" onClick={p.onSignOut} data-testid={`${id}-sign-out`}>
            {t.signOut}
          </button>
        </div>
      )}
    </div>
  );
}
