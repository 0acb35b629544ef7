import { SignIn, SignedIn, SignedOut } from '@latchkey/react';
import type { ReactNode } from 'react';
import { SignInWithPasskeyButton } from '../guide/sign-in-with-passkey-button';
import { Link } from '../link';
import { push, useLocation } from '../router';

/** `?autofill=off` turns off passkey autofill, which otherwise starts as soon as the form shows. */
export function SignInPage(): ReactNode {
  const { search } = useLocation();
  const autofill = search.get('autofill') !== 'off';
  return (
    <>
      <SignedIn>
        <section className="card narrow">
          <p>
            You are signed in. <Link to="/">Go to the home page</Link>
          </p>
        </section>
      </SignedIn>
      <SignedOut>
        <section className="card narrow">
          <SignIn autofill={autofill} afterSignIn={() => push('/')} />
        </section>
        <section className="card narrow" data-testid="guide-sign-in" aria-labelledby="guide-sign-in-title">
          <h2 id="guide-sign-in-title">Custom flow</h2>
          <p className="hint">The guide's discoverable sign-in button, as written:</p>
          <SignInWithPasskeyButton />
        </section>
      </SignedOut>
    </>
  );
}
