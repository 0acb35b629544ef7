import { SignIn, SignedOut, useLatchkey } from '@latchkey/react';
import type { ReactNode } from 'react';
import { SignInWithPasskeyButton } from '../guide/sign-in-with-passkey-button';
import { push, useLocation } from '../router';

/**
 * The prebuilt `<SignIn />` shows who is signed in when this browser already is (single-session
 * mode), or offers to add an account (multi-session). `?autofill=off` turns off passkey autofill,
 * which otherwise starts as soon as the form shows.
 */
export function SignInPage(): ReactNode {
  const { search } = useLocation();
  const autofill = search.get('autofill') !== 'off';
  const recovering = useLatchkey().session?.status === 'pending';
  return (
    <>
      <SignIn autofill={autofill} afterSignIn={() => push('/')} />
      {/* Not beside the "add a passkey now" step of a recovery: that session must add a passkey first. */}
      {!recovering && (
        <SignedOut>
          <section className="card narrow" data-testid="guide-sign-in" aria-labelledby="guide-sign-in-title">
            <h2 id="guide-sign-in-title">Custom flow</h2>
            <p className="hint">The guide's discoverable sign-in button, as written:</p>
            <SignInWithPasskeyButton />
          </section>
        </SignedOut>
      )}
    </>
  );
}
